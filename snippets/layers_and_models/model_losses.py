"""Losses and metrics from model internals: add_loss, model.losses, and metric
trackers that replace the removed add_metric.

Run it as a script: python snippets/layers_and_models/model_losses.py
"""

# --8<-- [start:imports]
import json
import numpy as np
import keras
# --8<-- [end:imports]

# --8<-- [start:data]
keras.utils.set_random_seed(3)
x = np.random.normal(size=(64, 4)).astype("float32")
y = x @ np.array([[1.0], [-2.0], [0.5], [0.0]], dtype="float32")
# --8<-- [end:data]


# --8<-- [start:penalty_layer]
@keras.saving.register_keras_serializable(package="keras_hooks")
class ActivityPenalty(keras.layers.Layer):
    def __init__(self, rate=0.01, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * keras.ops.mean(keras.ops.square(inputs)))  # (1)!
        return inputs  # (2)!

    def get_config(self):
        return {**super().get_config(), "rate": self.rate}
# --8<-- [end:penalty_layer]


# --8<-- [start:lifecycle]
penalty = ActivityPenalty(rate=0.5)
print("before any call:", penalty.losses)

penalty(np.ones((2, 3), dtype="float32"))
print("after a call:   ", [round(float(v), 4) for v in penalty.losses])

penalty(np.full((2, 3), 2.0, dtype="float32"))
print("after another:  ", [round(float(v), 4) for v in penalty.losses])  # (1)!
# --8<-- [end:lifecycle]

# --8<-- [start:model_losses]
inputs = keras.Input(shape=(4,))
hidden = keras.layers.Dense(
    8, activation="relu", kernel_regularizer=keras.regularizers.L2(1e-3)  # (1)!
)(inputs)
hidden = ActivityPenalty(rate=0.1)(hidden)
outputs = keras.layers.Dense(1)(hidden)
model = keras.Model(inputs, outputs)

print("after building: ", len(model.losses))
model(x)
print("after a call:   ", len(model.losses))
# --8<-- [end:model_losses]

# --8<-- [start:fit_loss]
model.compile(optimizer="sgd", loss="mse")
reported = model.evaluate(x, y, batch_size=64, verbose=0)  # (1)!

mse = keras.ops.mean(keras.losses.mean_squared_error(y, model(x)))  # (2)!
added = sum(float(v) for v in model.losses)
print("evaluate:          ", round(reported, 4))
print("mse + model.losses:", round(float(mse) + added, 4))
print("mse alone:         ", round(float(mse), 4))
# --8<-- [end:fit_loss]

try:
    # --8<-- [start:add_metric]
    model.add_metric(keras.ops.mean(hidden), name="mean_activation")
    # --8<-- [end:add_metric]
except NotImplementedError as error:
    print(f"{type(error).__name__}: {error}")


# --8<-- [start:tracked_layer]
@keras.saving.register_keras_serializable(package="keras_hooks")
class TrackedActivityPenalty(ActivityPenalty):
    def __init__(self, rate=0.01, **kwargs):
        super().__init__(rate=rate, **kwargs)
        self.tracker = keras.metrics.Mean(name="activity_penalty")  # (1)!

    def call(self, inputs):
        penalty = self.rate * keras.ops.mean(keras.ops.square(inputs))
        self.add_loss(penalty)
        self.tracker.update_state(penalty)  # (2)!
        return inputs
# --8<-- [end:tracked_layer]


# --8<-- [start:tracked_fit]
inputs = keras.Input(shape=(4,))
hidden = keras.layers.Dense(8, activation="relu")(inputs)
hidden = TrackedActivityPenalty(rate=0.1)(hidden)
tracked = keras.Model(inputs, keras.layers.Dense(1)(hidden))
rng = np.random.default_rng(3)
tracked.set_weights([rng.normal(scale=0.5, size=w.shape) for w in tracked.get_weights()])  # (1)!
tracked.compile(optimizer="sgd", loss="mse", metrics=["mae"])

history = tracked.fit(x, y, epochs=3, batch_size=16, shuffle=False, verbose=0)
print([metric.name for metric in tracked.metrics])  # (2)!
for name, values in history.history.items():
    print(f"{name:17}", [round(v, 4) for v in values])
# --8<-- [end:tracked_fit]

# --8<-- [start:nested_model_tracker]
class TrackedHead(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(1)
        self.tracker = keras.metrics.Mean(name="head_output")

    def call(self, inputs):
        outputs = self.dense(inputs)
        self.tracker.update_state(keras.ops.mean(outputs))
        return outputs


keras.utils.set_random_seed(3)
inputs = keras.Input(shape=(4,))
hidden = keras.layers.Dense(8, activation="relu")(inputs)
hidden = TrackedActivityPenalty(rate=0.1)(hidden)
head = TrackedHead()
outer = keras.Model(inputs, head(hidden))
outer.compile(optimizer="sgd", loss="mse")

history = outer.fit(x, y, epochs=3, batch_size=16, verbose=0)
print([metric.name for metric in outer.metrics])
print(sorted(history.history))
print("values in head_output:", int(head.tracker.count))
# --8<-- [end:nested_model_tracker]

# --8<-- [start:save_layers]
for name, net in [("penalty", model), ("tracked", tracked)]:
    before = net.predict(x[:8], verbose=0)
    net.save(f"{name}.keras")
    reloaded = keras.models.load_model(f"{name}.keras")  # (1)!
    after = reloaded.predict(x[:8], verbose=0)
    print(name, "same config:", json.dumps(reloaded.get_config()) == json.dumps(net.get_config()))
    print([layer.rate for layer in reloaded.layers if hasattr(layer, "rate")], np.allclose(before, after))
# --8<-- [end:save_layers]


# --8<-- [start:regressor]
class ReconstructingRegressor(keras.Model):
    def __init__(self, code_size, reconstruction_weight=1.0, **kwargs):
        super().__init__(**kwargs)
        self.code_size = code_size
        self.reconstruction_weight = reconstruction_weight
        self.encoder = keras.layers.Dense(code_size, activation="tanh")
        self.head = keras.layers.Dense(1)
        self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction")

    def build(self, input_shape):
        self.decoder = keras.layers.Dense(input_shape[-1])  # (1)!
        self.encoder.build(input_shape)
        self.decoder.build((*input_shape[:-1], self.code_size))
        self.head.build((*input_shape[:-1], self.code_size))

    def call(self, inputs):
        code = self.encoder(inputs)
        error = keras.ops.mean(keras.ops.square(inputs - self.decoder(code)))
        self.add_loss(self.reconstruction_weight * error)  # (2)!
        return self.head(code)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        total = super().compute_loss(x, y, y_pred, sample_weight, training)  # (3)!
        self.reconstruction_tracker.update_state(sum(self.losses))  # (4)!
        return total

    def get_config(self):
        return {
            **super().get_config(),
            "code_size": self.code_size,
            "reconstruction_weight": self.reconstruction_weight,
        }
# --8<-- [end:regressor]


# --8<-- [start:regressor_fit]
regressor = ReconstructingRegressor(code_size=2, reconstruction_weight=0.5)
regressor.build(x.shape)
rng = np.random.default_rng(3)
regressor.set_weights([rng.normal(scale=0.5, size=w.shape) for w in regressor.get_weights()])  # (1)!
regressor.compile(optimizer=keras.optimizers.Adam(learning_rate=0.02), loss="mse")
history = regressor.fit(x, y, epochs=3, batch_size=16, shuffle=False, verbose=0)
for name, values in history.history.items():
    print(f"{name:15}", [round(v, 4) for v in values])
# --8<-- [end:regressor_fit]

# --8<-- [start:regressor_evaluate]
print([metric.name for metric in regressor.metrics])
report = regressor.evaluate(x, y, verbose=0, return_dict=True)
print({name: round(value, 4) for name, value in report.items()})
# --8<-- [end:regressor_evaluate]

# --8<-- [start:regressor_save]
before = regressor.predict(x[:8], verbose=0)
regressor.save("regressor.keras")
reloaded = keras.models.load_model(
    "regressor.keras",
    custom_objects={"ReconstructingRegressor": ReconstructingRegressor},  # (1)!
)
print("same config:", json.dumps(reloaded.get_config()) == json.dumps(regressor.get_config()))
print(reloaded.code_size, reloaded.reconstruction_weight)
print(np.allclose(before, reloaded.predict(x[:8], verbose=0)))
# --8<-- [end:regressor_save]
