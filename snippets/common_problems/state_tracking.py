"""State that Keras does not track: raw tf.Variable attributes and reused optimizers.

Run it as a script: python snippets/common_problems/state_tracking.py
"""

# --8<-- [start:imports]
import warnings

import numpy as np
import tensorflow as tf
import keras

keras.utils.set_random_seed(0)
x = np.linspace(-1.0, 1.0, 16, dtype="float32").reshape(-1, 1)
y = 3.0 * x  # the best scale is 3.0
# --8<-- [end:imports]


# --8<-- [start:raw_variable]
@keras.saving.register_keras_serializable(package="keras_hooks_problems")
class RawScale(keras.layers.Layer):
    def __init__(self, initial, **kwargs):
        super().__init__(**kwargs)
        self.initial = initial
        self.scale = tf.Variable(initial)  # (1)!

    def call(self, inputs):
        return inputs * self.scale

    def get_config(self):
        return {**super().get_config(), "initial": self.initial}


raw = RawScale(initial=0.5)
print("output:", keras.ops.convert_to_numpy(raw(x[:2])).ravel())
print("weights:", len(raw.weights), "trainable:", len(raw.trainable_weights))
# --8<-- [end:raw_variable]


# --8<-- [start:raw_fit]
raw_model = keras.Sequential([keras.Input(shape=(1,)), RawScale(initial=0.5)])
raw_model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5), loss="mse")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    raw_model.fit(x, y, epochs=5, verbose=0)
print("scale after fit:", round(float(raw_model.layers[0].scale.numpy()), 4))
for message in sorted({str(w.message) for w in caught if "weights" in str(w.message)}):
    print("warning:", message)
# --8<-- [end:raw_fit]


# --8<-- [start:raw_save]
raw_model.layers[0].scale.assign(3.0)  # (1)!
raw_model.save("raw_scale.keras")
reloaded = keras.models.load_model("raw_scale.keras")
print("same config:", reloaded.layers[0].get_config() == raw_model.layers[0].get_config())
print("scale before saving: 3.0, after loading:", float(reloaded.layers[0].scale.numpy()))
# --8<-- [end:raw_save]


# --8<-- [start:add_weight]
@keras.saving.register_keras_serializable(package="keras_hooks_problems")
class Scale(keras.layers.Layer):
    def __init__(self, initial, **kwargs):
        super().__init__(**kwargs)
        self.initial = initial
        self.scale = self.add_weight(  # (1)!
            shape=(), initializer=keras.initializers.Constant(initial), name="scale")

    def call(self, inputs):
        return inputs * self.scale

    def get_config(self):
        return {**super().get_config(), "initial": self.initial}


model = keras.Sequential([keras.Input(shape=(1,)), Scale(initial=0.5)])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5), loss="mse")
print("trainable:", [w.path for w in model.trainable_weights])
model.fit(x, y, epochs=5, verbose=0)
print("scale after fit:", round(float(model.layers[0].scale.numpy()), 4))
model.save("scale.keras")
restored = keras.models.load_model("scale.keras")
print("same config:", restored.layers[0].get_config() == model.layers[0].get_config())
print("scale after loading:", round(float(restored.layers[0].scale.numpy()), 4))
# --8<-- [end:add_weight]


# --8<-- [start:keras_variable]
class VariableScale(keras.layers.Layer):
    def __init__(self, initial, **kwargs):
        super().__init__(**kwargs)
        self.scale = keras.Variable(initial, name="scale")  # (1)!

    def call(self, inputs):
        return inputs * self.scale


layer = VariableScale(initial=0.5)
print("weights:", len(layer.weights), "trainable:", len(layer.trainable_weights))
# --8<-- [end:keras_variable]


# --8<-- [start:tf_keras_tracked]
import tf_keras


class OldScale(tf_keras.layers.Layer):
    def __init__(self, initial, **kwargs):
        super().__init__(**kwargs)
        self.scale = tf.Variable(initial)

    def call(self, inputs):
        return inputs * self.scale


old = OldScale(initial=0.5)
print("tf_keras weights:", len(old.weights), "trainable:", len(old.trainable_weights))
# --8<-- [end:tf_keras_tracked]


# --8<-- [start:shared_optimizer]
def small_model():
    return keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])


shared = keras.optimizers.SGD(learning_rate=0.1)
first = small_model()
first.compile(optimizer=shared, loss="mse")
first.fit(x, y, epochs=1, verbose=0)

second = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1, name="dense")], name="second")
second.compile(optimizer=shared, loss="mse")  # (1)!
try:
    second.fit(x, y, epochs=1, verbose=0)
except ValueError as error:
    print(f"{type(error).__name__}: {error}")
# --8<-- [end:shared_optimizer]


# --8<-- [start:fresh_optimizer]
def make_optimizer():
    return keras.optimizers.SGD(learning_rate=0.1)


for seed in (1, 2):
    keras.utils.set_random_seed(seed)
    fresh = small_model()
    fresh.compile(optimizer=make_optimizer(), loss="mse")
    history = fresh.fit(x, y, epochs=3, verbose=0)
    print(f"model {seed}: loss {history.history['loss'][-1]:.4f}",
          "optimizer steps:", int(fresh.optimizer.iterations))
# --8<-- [end:fresh_optimizer]
