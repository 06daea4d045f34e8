"""Custom initializers: a function (shape, dtype), an Initializer subclass with
get_config, when Keras calls them, saving and loading, and seeding on Keras 3.

Run it as a script: python snippets/building_blocks/initializers.py
"""

# --8<-- [start:imports]
import numpy as np
import tensorflow as tf
import keras
# --8<-- [end:imports]

# --8<-- [start:function_ops]
def my_glorot_normal(shape, dtype=None):  # (1)!
    fan_in, fan_out = shape[0], shape[-1]
    stddev = (2.0 / (fan_in + fan_out)) ** 0.5
    return keras.random.normal(shape, stddev=stddev, dtype=dtype)  # (2)!


keras.utils.set_random_seed(0)
sample = keras.ops.convert_to_numpy(my_glorot_normal((300, 100)))
print(sample[0, :3].round(4), "std:", round(float(sample.std()), 4), "expected:", round((2.0 / 400) ** 0.5, 4))
# --8<-- [end:function_ops]

# --8<-- [start:function_tf]
def my_glorot_normal_tf(shape, dtype=None):
    fan_in, fan_out = shape[0], shape[-1]
    stddev = (2.0 / (fan_in + fan_out)) ** 0.5
    return tf.random.normal(shape, stddev=stddev, dtype=dtype)


tf.random.set_seed(0)
sample = my_glorot_normal_tf((300, 100), "float32").numpy()
print(sample[0, :3].round(4), "std:", round(float(sample.std()), 4), "expected:", round((2.0 / 400) ** 0.5, 4))
# --8<-- [end:function_tf]

# --8<-- [start:when_called]
def spy(shape, dtype=None):
    print("initializer called with", shape, dtype)
    return my_glorot_normal(shape, dtype)


layer = keras.layers.Dense(4, kernel_initializer=spy)
print("built:", layer.built)
layer.build((None, 8))  # (1)!
print("built:", layer.built, "kernel shape:", tuple(layer.kernel.shape))
# --8<-- [end:when_called]

# --8<-- [start:subclass]
@keras.saving.register_keras_serializable(package="keras_hooks")
class ScaledNormal(keras.initializers.Initializer):
    """Normal values with standard deviation gain * sqrt(2 / (fan_in + fan_out))."""

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        self.seed = seed  # (1)!

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = shape[0], shape[-1]
        stddev = self.gain * (2.0 / (fan_in + fan_out)) ** 0.5
        return keras.random.normal(shape, stddev=stddev, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed}  # (2)!
# --8<-- [end:subclass]

# --8<-- [start:distribution]
keras.utils.set_random_seed(0)
initializer = ScaledNormal(gain=2.0, seed=5)
kernel = keras.ops.convert_to_numpy(initializer((400, 200)))

theory = 2.0 * (2.0 / (400 + 200)) ** 0.5
print("theoretical std:", round(theory, 4))
print("measured std:   ", round(float(kernel.std()), 4))
print("measured mean:  ", round(float(kernel.mean()), 4))
# --8<-- [end:distribution]

# --8<-- [start:round_trip]
keras.utils.set_random_seed(1)
x = np.random.default_rng(1).normal(size=(5, 8)).astype("float32")
model = keras.Sequential([
    keras.Input(shape=(8,)),
    keras.layers.Dense(4, activation="relu", kernel_initializer=ScaledNormal(gain=2.0, seed=3)),
    keras.layers.Dense(1, kernel_initializer=ScaledNormal(gain=0.5, seed=7)),
])
before = model.predict(x, verbose=0)
model.save("scaled_normal.keras")

reloaded = keras.models.load_model("scaled_normal.keras")  # (1)!
print(reloaded.layers[1].kernel_initializer.get_config())
print("same config:", all(a.get_config() == b.get_config() for a, b in zip(reloaded.layers, model.layers)))
print(np.allclose(before, reloaded.predict(x, verbose=0)))  # (2)!
# --8<-- [end:round_trip]

# --8<-- [start:custom_objects]
model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(2, kernel_initializer=my_glorot_normal)])
before = model.predict(x, verbose=0)
model.save("glorot_function.keras")

reloaded = keras.models.load_model(
    "glorot_function.keras", custom_objects={"my_glorot_normal": my_glorot_normal}
)
print(reloaded.layers[0].kernel_initializer is my_glorot_normal)
print("same config:", all(a.get_config() == b.get_config() for a, b in zip(reloaded.layers, model.layers)))
print(np.allclose(before, reloaded.predict(x, verbose=0)))
# --8<-- [end:custom_objects]

# --8<-- [start:no_get_config]
@keras.saving.register_keras_serializable(package="keras_hooks")
class ForgetfulNormal(keras.initializers.Initializer):
    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        return keras.random.normal(shape, stddev=self.gain * 0.1, dtype=dtype)


model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(2, kernel_initializer=ForgetfulNormal(gain=3.0))])
model.save("forgetful.keras")
reloaded = keras.models.load_model("forgetful.keras")
print("same config:", all(a.get_config() == b.get_config() for a, b in zip(reloaded.layers, model.layers)))  # (1)!
print("saved gain 3.0, reloaded gain", reloaded.layers[0].kernel_initializer.gain)  # (2)!
# --8<-- [end:no_get_config]

# --8<-- [start:seed_helper]
def first_kernel(initializer):
    layer = keras.layers.Dense(2, kernel_initializer=initializer)
    layer.build((None, 3))
    return keras.ops.convert_to_numpy(layer.kernel)
# --8<-- [end:seed_helper]

# --8<-- [start:tf_seed]
tf.random.set_seed(42)
first = first_kernel("glorot_normal")
tf.random.set_seed(42)
second = first_kernel("glorot_normal")
print("same kernels:", np.allclose(first, second))
# --8<-- [end:tf_seed]

# --8<-- [start:keras_seed]
keras.utils.set_random_seed(42)  # (1)!
first = first_kernel("glorot_normal")
keras.utils.set_random_seed(42)
second = first_kernel("glorot_normal")
print("same kernels:", np.allclose(first, second))
# --8<-- [end:keras_seed]
