"""Overriding train_step, test_step and compute_loss (Keras 3 on TensorFlow).

Run it as a script: python snippets/training/train_step.py
"""

# --8<-- [start:imports]
import json
import warnings

import numpy as np
import tensorflow as tf
import keras
# --8<-- [end:imports]

# --8<-- [start:data]
rng = np.random.default_rng(0)
x = rng.normal(size=(64, 3)).astype("float32")
y = x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32") + 0.3


def build(model_class=keras.Model, **kwargs):
    keras.utils.set_random_seed(7)  # (1)!
    inputs = keras.Input(shape=(3,))
    outputs = keras.layers.Dense(1)(inputs)
    return model_class(inputs, outputs, **kwargs)  # (2)!


def rounded(history):
    return {name: [round(v, 4) for v in values] for name, values in history.history.items()}
# --8<-- [end:data]

# --8<-- [start:baseline]
baseline = build()
baseline.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
history = baseline.fit(x, y, batch_size=16, epochs=2, verbose=0)
print(rounded(history))
print("train_step calls:", int(baseline.optimizer.iterations))
# --8<-- [end:baseline]

# --8<-- [start:compute_loss]
@keras.saving.register_keras_serializable(package="keras_hooks")
class PenalizedModel(keras.Model):
    def __init__(self, *args, penalty, **kwargs):
        super().__init__(*args, **kwargs)
        self.penalty = penalty

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        loss = super().compute_loss(  # (1)!
            x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=training
        )
        return loss + self.penalty * keras.ops.mean(keras.ops.square(y_pred))  # (2)!

    def get_config(self):
        return {**super().get_config(), "penalty": self.penalty}  # (3)!
# --8<-- [end:compute_loss]

# --8<-- [start:compute_loss_fit]
penalized = build(PenalizedModel, penalty=0.1)
penalized.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse", metrics=["mse"])
history = penalized.fit(x, y, batch_size=16, epochs=2, verbose=0)
print(rounded(history))

report = penalized.evaluate(x, y, verbose=0, return_dict=True)
term = 0.1 * np.mean(keras.ops.convert_to_numpy(penalized(x)) ** 2)
print({name: round(value, 4) for name, value in report.items()})
print("mse + penalty term:", round(report["mse"] + float(term), 4))
# --8<-- [end:compute_loss_fit]

# --8<-- [start:train_step]
@keras.saving.register_keras_serializable(package="keras_hooks")
class StepModel(keras.Model):
    def train_step(self, data):
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)  # (1)!
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(  # (2)!
                x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True
            )
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(gradients, self.trainable_variables)  # (3)!
        return self.update_metrics(loss, y, y_pred, sample_weight)

    def test_step(self, data):
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self.compute_loss(
            x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=False
        )
        return self.update_metrics(loss, y, y_pred, sample_weight)

    def update_metrics(self, loss, y, y_pred, sample_weight):
        for metric in self.metrics:  # (4)!
            if metric.name == "loss":
                metric.update_state(loss, sample_weight=tf.shape(y_pred)[0])
            else:
                metric.update_state(y, y_pred, sample_weight=sample_weight)
        return self.get_metrics_result()  # (5)!
# --8<-- [end:train_step]

# --8<-- [start:train_step_fit]
stepped = build(StepModel)
stepped.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
history = stepped.fit(x, y, batch_size=16, epochs=2, verbose=0)
print(rounded(history))
print("same weights as the default:", all(
    np.allclose(a, b) for a, b in zip(stepped.get_weights(), baseline.get_weights())
))
# --8<-- [end:train_step_fit]

# --8<-- [start:test_step]
report = stepped.evaluate(x, y, batch_size=16, verbose=0, return_dict=True)
print({name: round(value, 4) for name, value in report.items()})
print([metric.name for metric in stepped.metrics])
# --8<-- [end:test_step]

# --8<-- [start:trackers]
class TrackedModel(keras.Model):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_tracker = keras.metrics.Mean(name="loss")  # (1)!
        self.mae_metric = keras.metrics.MeanAbsoluteError(name="mae")
        self.grad_norm_tracker = keras.metrics.Mean(name="grad_norm")

    @property
    def metrics(self):
        return [self.loss_tracker, self.mae_metric, self.grad_norm_tracker]  # (2)!

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = keras.ops.mean(keras.losses.mean_squared_error(y, y_pred))
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(gradients, self.trainable_variables)
        self.loss_tracker.update_state(loss)
        self.mae_metric.update_state(y, y_pred)
        self.grad_norm_tracker.update_state(tf.linalg.global_norm(gradients))  # (3)!
        return {metric.name: metric.result() for metric in self.metrics}
# --8<-- [end:trackers]

# --8<-- [start:trackers_fit]
tracked = build(TrackedModel)
tracked.compile(optimizer=keras.optimizers.SGD(0.05))  # (1)!
history = tracked.fit(x, y, batch_size=16, epochs=2, verbose=0)
print(rounded(history))
print("batches counted in the last epoch:", int(tracked.loss_tracker.count))
# --8<-- [end:trackers_fit]

# --8<-- [start:round_trip]
def as_stored(config):
    return json.loads(json.dumps(config))  # (1)!


def round_trip(model, filename, **load_options):
    before = keras.ops.convert_to_numpy(model(x))
    model.save(filename)
    reloaded = keras.models.load_model(filename, **load_options)
    after = keras.ops.convert_to_numpy(reloaded(x))
    print(type(reloaded).__name__, "same predictions:", np.allclose(before, after))
    print("same config:", as_stored(reloaded.get_config()) == as_stored(model.get_config()))
    return reloaded


reloaded_step = round_trip(stepped, "step_model.keras")
reloaded_penalized = round_trip(penalized, "penalized_model.keras")
print("penalty:", reloaded_penalized.penalty)
# --8<-- [end:round_trip]

# --8<-- [start:round_trip_fit]
history = reloaded_step.fit(x, y, batch_size=16, epochs=1, verbose=0)
print(rounded(history))
# --8<-- [end:round_trip_fit]

# --8<-- [start:save_unregistered]
tracked.save("tracked_model.keras")
# --8<-- [end:save_unregistered]

try:
    # --8<-- [start:unregistered]
    keras.models.load_model("tracked_model.keras")
    # --8<-- [end:unregistered]
except TypeError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:custom_objects]
reloaded_tracked = round_trip(
    tracked, "tracked_model.keras", custom_objects={"TrackedModel": TrackedModel}
)
# --8<-- [end:custom_objects]

# --8<-- [start:forgot_loss]
class ForgetfulModel(keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(gradients, self.trainable_variables)
        return self.compute_metrics(x, y, y_pred, sample_weight=None)  # (1)!


forgetful = build(ForgetfulModel)
forgetful.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
print(rounded(forgetful.fit(x, y, batch_size=16, epochs=2, verbose=0)))
# --8<-- [end:forgot_loss]

try:
    # --8<-- [start:positional]
    class PositionalModel(keras.Model):
        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compute_loss(y, y_pred)  # (1)!
            gradients = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply(gradients, self.trainable_variables)
            return self.compute_metrics(x, y, y_pred)


    positional = build(PositionalModel)
    positional.compile(optimizer="sgd", loss="mse")
    positional.fit(x, y, batch_size=16, epochs=1, verbose=0)
    # --8<-- [end:positional]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:keras2_step]
class Keras2Model(keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        self.compiled_metrics.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


keras2 = build(Keras2Model)
keras2.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    history = keras2.fit(x, y, batch_size=16, epochs=2, verbose=0)
print(rounded(history))
for message in sorted({str(w.message).splitlines()[0] for w in caught}):
    print(message)
# --8<-- [end:keras2_step]

# --8<-- [start:keras2_check]
batch_x, batch_y = x[:16], y[:16]
predictions = keras.ops.convert_to_numpy(keras2(batch_x))
one_batch = keras2.fit(batch_x, batch_y, batch_size=16, epochs=1, verbose=0)
print("reported loss:  ", round(one_batch.history["loss"][0], 4))
print("mean prediction:", round(float(predictions.mean()), 4))
print("real MSE:       ", round(float(np.mean((predictions - batch_y) ** 2)), 4))
# --8<-- [end:keras2_check]

try:
    # --8<-- [start:minimize]
    class MinimizeModel(keras.Model):
        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
            self.optimizer.minimize(loss, self.trainable_variables, tape=tape)
            return self.compute_metrics(x, y, y_pred)


    old_optimizer = build(MinimizeModel)
    old_optimizer.compile(optimizer="sgd", loss="mse")
    old_optimizer.fit(x, y, batch_size=16, epochs=1, verbose=0)
    # --8<-- [end:minimize]
except AttributeError as error:
    print(f"{type(error).__name__}: {error}")
