"""Lab: one regression model that uses a custom activation, initializer, regularizer,
constraint, loss, streaming metric and layer, trained, saved, reloaded and checked.

Run it as a script: python snippets/labs/regression_lab.py
"""

# --8<-- [start:imports]
import json
import numpy as np
import tensorflow as tf
import keras
from sklearn.datasets import load_diabetes
from sklearn.metrics import r2_score
# --8<-- [end:imports]

# --8<-- [start:data]
keras.utils.set_random_seed(0)  # (1)!
diabetes = load_diabetes()
rng = np.random.default_rng(0)
order = rng.permutation(len(diabetes.target))  # (2)!
train, test = order[:342], order[342:]

x_mean, x_std = diabetes.data[train].mean(axis=0), diabetes.data[train].std(axis=0)
y_mean, y_std = diabetes.target[train].mean(), diabetes.target[train].std()
x_train = ((diabetes.data[train] - x_mean) / x_std).astype("float32")  # (3)!
x_test = ((diabetes.data[test] - x_mean) / x_std).astype("float32")
y_train = ((diabetes.target[train] - y_mean) / y_std).astype("float32").reshape(-1, 1)
y_test = ((diabetes.target[test] - y_mean) / y_std).astype("float32").reshape(-1, 1)
train_data = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(342, seed=0).batch(64)  # (4)!

print("train:", x_train.shape, y_train.shape)
print("test: ", x_test.shape, y_test.shape)
print("features:", diabetes.feature_names)
print("training batches per epoch:", len(train_data))
# --8<-- [end:data]

# --8<-- [start:activation]
@keras.saving.register_keras_serializable(package="keras_hooks")
def approx_gelu(x):
    return x * keras.ops.sigmoid(1.702 * x)  # (1)!
# --8<-- [end:activation]

# --8<-- [start:initializer]
@keras.saving.register_keras_serializable(package="keras_hooks")
class FanInNormal(keras.initializers.Initializer):
    def __init__(self, gain, seed):
        self.gain = gain
        self.seed = seed

    def __call__(self, shape, dtype=None):
        stddev = self.gain / shape[0] ** 0.5  # (1)!
        return keras.random.normal(shape, stddev=stddev, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed}
# --8<-- [end:initializer]

# --8<-- [start:regularizer]
@keras.saving.register_keras_serializable(package="keras_hooks")
class Sparsity(keras.regularizers.Regularizer):
    def __init__(self, factor=0.01):
        self.factor = factor

    def __call__(self, weights):
        return self.factor * keras.ops.sum(keras.ops.abs(weights))  # (1)!

    def get_config(self):
        return {"factor": self.factor}
# --8<-- [end:regularizer]

# --8<-- [start:constraint]
@keras.saving.register_keras_serializable(package="keras_hooks")
class Between(keras.constraints.Constraint):
    def __init__(self, low, high):
        self.low = low
        self.high = high

    def __call__(self, weights):
        return keras.ops.clip(weights, self.low, self.high)  # (1)!

    def get_config(self):
        return {"low": self.low, "high": self.high}
# --8<-- [end:constraint]

# --8<-- [start:layer]
@keras.saving.register_keras_serializable(package="keras_hooks")
class FeatureGate(keras.layers.Layer):
    def __init__(self, initializer, regularizer, constraint, **kwargs):
        super().__init__(**kwargs)
        self.initializer = keras.initializers.get(initializer)  # (1)!
        self.regularizer = keras.regularizers.get(regularizer)
        self.constraint = keras.constraints.get(constraint)

    def build(self, input_shape):
        self.gate = self.add_weight(
            name="gate",
            shape=(input_shape[-1],),  # (2)!
            initializer=self.initializer,
            regularizer=self.regularizer,
            constraint=self.constraint,
        )

    def call(self, inputs):
        return inputs * self.gate

    def get_config(self):
        return {
            **super().get_config(),
            "initializer": keras.initializers.serialize(self.initializer),  # (3)!
            "regularizer": keras.regularizers.serialize(self.regularizer),
            "constraint": keras.constraints.serialize(self.constraint),
        }
# --8<-- [end:layer]

# --8<-- [start:loss]
@keras.saving.register_keras_serializable(package="keras_hooks")
class PseudoHuber(keras.losses.Loss):
    def __init__(self, delta, name="pseudo_huber", **kwargs):
        super().__init__(name=name, **kwargs)  # (1)!
        self.delta = delta

    def call(self, y_true, y_pred):
        scaled = (y_pred - y_true) / self.delta
        per_value = self.delta**2 * (keras.ops.sqrt(1.0 + keras.ops.square(scaled)) - 1.0)
        return keras.ops.mean(per_value, axis=-1)  # (2)!

    def get_config(self):
        return {**super().get_config(), "delta": self.delta}  # (3)!
# --8<-- [end:loss]

# --8<-- [start:metric]
@keras.saving.register_keras_serializable(package="keras_hooks")
class RSquared(keras.metrics.Metric):
    def __init__(self, name="r2", **kwargs):
        super().__init__(name=name, **kwargs)
        self.count = self.add_variable(shape=(), initializer="zeros", name="count")  # (1)!
        self.sum_y = self.add_variable(shape=(), initializer="zeros", name="sum_y")
        self.sum_y2 = self.add_variable(shape=(), initializer="zeros", name="sum_y2")
        self.sum_sq_error = self.add_variable(shape=(), initializer="zeros", name="sum_sq_error")

    def update_state(self, y_true, y_pred, sample_weight=None):  # (2)!
        y_true = keras.ops.cast(y_true, self.dtype)
        y_pred = keras.ops.cast(y_pred, self.dtype)
        self.count.assign_add(keras.ops.cast(keras.ops.size(y_true), self.dtype))
        self.sum_y.assign_add(keras.ops.sum(y_true))
        self.sum_y2.assign_add(keras.ops.sum(keras.ops.square(y_true)))
        self.sum_sq_error.assign_add(keras.ops.sum(keras.ops.square(y_true - y_pred)))

    def result(self):
        total = self.sum_y2 - keras.ops.square(self.sum_y) / self.count  # (3)!
        return 1.0 - keras.ops.divide_no_nan(self.sum_sq_error, total)
# --8<-- [end:metric]

# --8<-- [start:model]
keras.utils.set_random_seed(42)  # (1)!
model = keras.Sequential([
    keras.Input(shape=(10,)),
    FeatureGate(
        initializer="ones", regularizer=Sparsity(0.03), constraint=Between(0.0, 1.0), name="gate"
    ),
    keras.layers.Dense(
        16, activation=approx_gelu, kernel_initializer=FanInNormal(gain=1.5, seed=None)
    ),
    keras.layers.Dense(1),
])
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=0.03),
    loss=PseudoHuber(delta=1.0),
    metrics=[RSquared()],
)
print("trainable weights:", [tuple(w.shape) for w in model.trainable_weights])
print("initial gates:", keras.ops.convert_to_numpy(model.get_layer("gate").gate))
print("penalty before training:", round(float(keras.ops.sum(model.losses)), 4))  # (2)!
# --8<-- [end:model]

# --8<-- [start:train]
history = model.fit(train_data, epochs=10, shuffle=False, verbose=0)  # (1)!
print("loss, first and last epoch:", round(history.history["loss"][0], 4), round(history.history["loss"][-1], 4))
print("r2,   first and last epoch:", round(history.history["r2"][0], 4), round(history.history["r2"][-1], 4))
# --8<-- [end:train]

# --8<-- [start:evaluate]
report = model.evaluate(x_test, y_test, batch_size=32, verbose=0, return_dict=True)  # (1)!
print({name: round(value, 4) for name, value in report.items()})
predictions = model.predict(x_test, verbose=0)
print("sklearn r2_score:", round(r2_score(y_test, predictions), 4))  # (2)!
# --8<-- [end:evaluate]

# --8<-- [start:batch_average]
batch_values = []
for start in range(0, len(x_test), 32):
    one_batch = RSquared()
    one_batch.update_state(y_test[start:start + 32], predictions[start:start + 32])
    batch_values.append(float(one_batch.result()))
print("r2 of each batch:", [round(value, 4) for value in batch_values])
print("mean of the batch values:", round(float(np.mean(batch_values)), 4))
# --8<-- [end:batch_average]

# --8<-- [start:gates]
gate = keras.ops.convert_to_numpy(model.get_layer("gate").gate)
for name, value in sorted(zip(diabetes.feature_names, gate), key=lambda pair: -pair[1]):
    switched_off = "  (off)" if value == 0.0 else ""  # (1)!
    print(f"{name:>4} {value:.3f}{switched_off}")
print("gates exactly 0:", int((gate == 0.0).sum()))
print("all gates in [0, 1]:", bool(((gate >= 0.0) & (gate <= 1.0)).all()))
# --8<-- [end:gates]

# --8<-- [start:save]
before = model.predict(x_test, verbose=0)
model.save("regression_lab.keras")
reloaded = keras.models.load_model("regression_lab.keras")  # (1)!
after = reloaded.predict(x_test, verbose=0)
print("same config:", json.dumps(reloaded.get_config()) == json.dumps(model.get_config()))
print("delta:", reloaded.loss.delta)
print("same predictions:", np.allclose(before, after))
# --8<-- [end:save]

# --8<-- [start:check_layer]
reloaded_gate = reloaded.get_layer("gate")
print(type(reloaded_gate).__name__)
print(type(reloaded_gate.regularizer).__name__, reloaded_gate.regularizer.get_config())
print(type(reloaded_gate.constraint).__name__, reloaded_gate.constraint.get_config())
values = keras.ops.convert_to_numpy(reloaded_gate.gate)
print("constraint holds after loading:", bool(((values >= 0.0) & (values <= 1.0)).all()))
print("activation:", reloaded.layers[1].activation is approx_gelu)
print(type(reloaded.layers[1].kernel_initializer).__name__, reloaded.layers[1].kernel_initializer.get_config())
# --8<-- [end:check_layer]

# --8<-- [start:check_compile]
print(type(reloaded.loss).__name__, reloaded.loss.get_config())
saved_metric = reloaded.get_compile_config()["metrics"][0]  # (1)!
print(saved_metric["registered_name"], saved_metric["config"])
report_after = reloaded.evaluate(x_test, y_test, batch_size=32, verbose=0, return_dict=True)
print({name: round(value, 4) for name, value in report_after.items()})  # (2)!
# --8<-- [end:check_compile]
