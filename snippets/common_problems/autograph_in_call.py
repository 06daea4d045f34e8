"""A Python `if` on a tensor inside Layer.call: where it fails, how to debug it, how to fix it.

Run it as a script: python snippets/common_problems/autograph_in_call.py
"""

# --8<-- [start:imports]
import numpy as np
import tensorflow as tf
import keras

keras.utils.set_random_seed(0)
x = np.array([[1.0], [2.0], [-3.0], [4.0]], dtype="float32")
y = np.abs(x)
# --8<-- [end:imports]


# --8<-- [start:python_if]
class FlipIfNegative(keras.layers.Layer):
    def call(self, inputs):
        if keras.ops.mean(inputs) < 0:  # (1)!
            return -inputs
        return inputs


flip = FlipIfNegative()
print(keras.ops.convert_to_numpy(flip(-x)).ravel())
# --8<-- [end:python_if]


try:
    # --8<-- [start:symbolic_build]
    inputs = keras.Input(shape=(1,))
    outputs = FlipIfNegative()(inputs)
    # --8<-- [end:symbolic_build]
except tf.errors.OperatorNotAllowedInGraphError as error:
    print(f"{type(error).__name__}: {error}")


# --8<-- [start:with_output_shape]
class FlipIfNegativeShaped(FlipIfNegative):
    def compute_output_shape(self, input_shape):  # (1)!
        return input_shape


model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1), FlipIfNegativeShaped()])
print("built:", model.output_shape)
# --8<-- [end:with_output_shape]


try:
    # --8<-- [start:fit_error]
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, epochs=1, verbose=0)
    # --8<-- [end:fit_error]
except tf.errors.OperatorNotAllowedInGraphError as error:
    print(f"{type(error).__name__}: {error}")


# --8<-- [start:run_eagerly]
class LoudFlip(FlipIfNegativeShaped):
    def call(self, inputs):
        print("batch mean:", round(float(keras.ops.mean(inputs)), 4))  # (1)!
        return super().call(inputs)


keras.utils.set_random_seed(0)
debug = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1), LoudFlip()])
debug.compile(optimizer="sgd", loss="mse", run_eagerly=True)
history = debug.fit(x, y, batch_size=2, epochs=1, shuffle=False, verbose=0)
print("loss:", round(history.history["loss"][0], 4))
# --8<-- [end:run_eagerly]


# --8<-- [start:fix_where]
class FlipWhere(keras.layers.Layer):
    def call(self, inputs):
        negative = keras.ops.mean(inputs) < 0
        return keras.ops.where(negative, -inputs, inputs)  # (1)!


keras.utils.set_random_seed(0)
fixed = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1), FlipWhere()])
fixed.compile(optimizer="sgd", loss="mse")
history = fixed.fit(x, y, batch_size=2, epochs=1, shuffle=False, verbose=0)
print("loss:", round(history.history["loss"][0], 4))
print(keras.ops.convert_to_numpy(FlipWhere()(-x)).ravel())
# --8<-- [end:fix_where]


# --8<-- [start:fix_cond]
class FlipCond(keras.layers.Layer):
    def call(self, inputs):
        return keras.ops.cond(  # (1)!
            keras.ops.mean(inputs) < 0, lambda: -inputs, lambda: inputs)


keras.utils.set_random_seed(0)
branched = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1), FlipCond()])
branched.compile(optimizer="sgd", loss="mse")
history = branched.fit(x, y, batch_size=2, epochs=1, shuffle=False, verbose=0)
print("loss:", round(history.history["loss"][0], 4))
print(keras.ops.convert_to_numpy(FlipCond()(-x)).ravel())
# --8<-- [end:fix_cond]
