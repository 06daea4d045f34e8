"""One Dense layer with a custom activation, initializer, regularizer and constraint:
what each one does during training, and a full save/load round trip.

Run it as a script: python snippets/building_blocks/one_layer_four_hooks.py
"""

# --8<-- [start:imports]
import numpy as np
import keras
# --8<-- [end:imports]

# --8<-- [start:hooks]
@keras.saving.register_keras_serializable(package="keras_hooks")
def stable_softplus(z):  # (1)!
    return keras.ops.maximum(z, 0.0) + keras.ops.log1p(keras.ops.exp(-keras.ops.abs(z)))


@keras.saving.register_keras_serializable(package="keras_hooks")
class ScaledNormal(keras.initializers.Initializer):  # (2)!
    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        self.seed = seed

    def __call__(self, shape, dtype=None):
        stddev = self.gain * (2.0 / (shape[0] + shape[-1])) ** 0.5
        return keras.random.normal(shape, stddev=stddev, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed}


@keras.saving.register_keras_serializable(package="keras_hooks")
class L1Penalty(keras.regularizers.Regularizer):  # (3)!
    def __init__(self, factor):
        self.factor = factor

    def __call__(self, weights):
        return self.factor * keras.ops.sum(keras.ops.abs(weights))

    def get_config(self):
        return {"factor": self.factor}


@keras.saving.register_keras_serializable(package="keras_hooks")
class NonNegative(keras.constraints.Constraint):  # (4)!
    def __call__(self, weights):
        return keras.ops.maximum(weights, 0.0)
# --8<-- [end:hooks]

# --8<-- [start:model]
keras.utils.set_random_seed(7)
rng = np.random.default_rng(7)
x = rng.uniform(0.0, 1.0, size=(64, 5)).astype("float32")
y = (x.sum(axis=1, keepdims=True) + 0.1 * rng.normal(size=(64, 1))).astype("float32")

hidden = keras.layers.Dense(
    8,
    activation=stable_softplus,
    kernel_initializer=ScaledNormal(gain=1.5, seed=6),
    kernel_regularizer=L1Penalty(0.01),
    kernel_constraint=NonNegative(),
)
model = keras.Sequential([keras.Input(shape=(5,)), hidden, keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mse"])
# --8<-- [end:model]

# --8<-- [start:initial]
kernel = keras.ops.convert_to_numpy(hidden.kernel)
print("kernel shape:", kernel.shape)
print("expected std:", round(1.5 * (2.0 / (5 + 8)) ** 0.5, 3), " measured:", round(float(kernel.std()), 3))
print("negative entries before training:", int((kernel < 0).sum()))  # (1)!
# --8<-- [end:initial]

# --8<-- [start:train]
history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
print([round(loss, 3) for loss in history.history["loss"]])
# --8<-- [end:train]

# --8<-- [start:effects]
kernel = keras.ops.convert_to_numpy(hidden.kernel)
print("constraint: smallest kernel value", float(kernel.min()))  # (1)!

penalty = float(keras.ops.sum(model.losses))
print("regularizer: model.losses =", round(penalty, 4), "= 0.01 * sum|kernel| =", round(0.01 * float(np.abs(kernel).sum()), 4))

report = model.evaluate(x, y, verbose=0, return_dict=True)
print("reported loss - mse =", round(report["loss"] - report["mse"], 4))  # (2)!

activations = keras.ops.convert_to_numpy(hidden(x))
print("activation: outputs > 0:", bool((activations > 0).all()))  # (3)!
# --8<-- [end:effects]

# --8<-- [start:frozen]
hidden.trainable = False
print("frozen:   model.losses =", [round(float(v), 4) for v in model.losses])
hidden.trainable = True
print("unfrozen: model.losses =", [round(float(v), 4) for v in model.losses])
# --8<-- [end:frozen]

# --8<-- [start:round_trip]
before = model.predict(x, verbose=0)
model.save("four_hooks.keras")

reloaded = keras.models.load_model("four_hooks.keras")  # (1)!
layer = reloaded.layers[0]
print(layer.activation is stable_softplus)
print(type(layer.kernel_initializer).__name__, layer.kernel_initializer.get_config())
print(type(layer.kernel_regularizer).__name__, layer.kernel_regularizer.get_config())
print(type(layer.kernel_constraint).__name__)
print("same config:", all(a.get_config() == b.get_config() for a, b in zip(reloaded.layers, model.layers)))
print(np.allclose(before, reloaded.predict(x, verbose=0)))
# --8<-- [end:round_trip]
