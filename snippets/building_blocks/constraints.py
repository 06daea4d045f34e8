"""Custom constraints: a function, a Constraint subclass with get_config, when Keras
applies them, and saving and loading.

Run it as a script: python snippets/building_blocks/constraints.py
"""

# --8<-- [start:imports]
import numpy as np
import tensorflow as tf
import keras
# --8<-- [end:imports]

# --8<-- [start:function_ops]
def non_negative(weights):
    return keras.ops.maximum(weights, 0.0)  # (1)!


print(keras.ops.convert_to_numpy(non_negative(np.array([-1.5, 0.0, 2.0], dtype="float32"))))
# --8<-- [end:function_ops]

# --8<-- [start:function_tf]
def non_negative_tf(weights):
    return tf.where(weights < 0.0, tf.zeros_like(weights), weights)


print(non_negative_tf(tf.constant([-1.5, 0.0, 2.0])).numpy())
# --8<-- [end:function_tf]

# --8<-- [start:data]
rng = np.random.default_rng(0)
x = rng.normal(size=(16, 3)).astype("float32")
y = (x @ np.array([[1.0], [-2.0], [0.5]])).astype("float32")


start = keras.initializers.Constant(np.array([[-0.1], [-1.2], [0.8]]))


def make_model(constraint):
    model = keras.Sequential(
        [keras.Input(shape=(3,)), keras.layers.Dense(1, kernel_initializer=start, kernel_constraint=constraint)]  # (1)!
    )
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    return model


def kernel_of(model):
    return np.round(keras.ops.convert_to_numpy(model.layers[0].kernel).ravel(), 3)
# --8<-- [end:data]

# --8<-- [start:when_applied]
free = make_model(None)
constrained = make_model(non_negative)
print("initial kernel:         ", kernel_of(constrained))  # (1)!

free.train_on_batch(x, y)
constrained.train_on_batch(x, y)
print("one step, no constraint:", kernel_of(free))
print("one step, constrained:  ", kernel_of(constrained))  # (2)!
# --8<-- [end:when_applied]

# --8<-- [start:custom_loop]
layer = keras.layers.Dense(1, kernel_initializer=keras.initializers.Constant(-0.5), kernel_constraint=non_negative)
layer.build((None, 3))
optimizer = keras.optimizers.SGD(0.1)

kernel, bias = layer.get_weights()
error = x @ kernel + bias - y  # (1)!
kernel_gradient = 2 * x.T @ error / len(x)
bias_gradient = 2 * error.mean(axis=0)
gradients = [keras.ops.convert_to_tensor(g) for g in (kernel_gradient, bias_gradient)]  # (2)!
optimizer.apply_gradients(zip(gradients, layer.trainable_variables))  # (3)!
print(np.round(keras.ops.convert_to_numpy(layer.kernel).ravel(), 3))
# --8<-- [end:custom_loop]

# --8<-- [start:assign_bypass]
layer.kernel.assign(-np.ones((3, 1), dtype="float32"))
print(np.round(keras.ops.convert_to_numpy(layer.kernel).ravel(), 3))  # (1)!
# --8<-- [end:assign_bypass]

# --8<-- [start:subclass]
@keras.saving.register_keras_serializable(package="keras_hooks")
class ClipWeights(keras.constraints.Constraint):
    def __init__(self, limit):
        self.limit = limit

    def __call__(self, weights):
        return keras.ops.clip(weights, -self.limit, self.limit)  # (1)!

    def get_config(self):
        return {"limit": self.limit}


clipped = make_model(ClipWeights(0.75))
clipped.fit(x, y, epochs=5, batch_size=4, shuffle=False, verbose=0)
print(kernel_of(clipped))
# --8<-- [end:subclass]

# --8<-- [start:round_trip]
before = clipped.predict(x, verbose=0)
clipped.save("clip_weights.keras")

reloaded = keras.models.load_model("clip_weights.keras")
print(reloaded.layers[0].kernel_constraint.get_config())
print("same config:", all(a.get_config() == b.get_config() for a, b in zip(reloaded.layers, clipped.layers)))
print(np.allclose(before, reloaded.predict(x, verbose=0)))
# --8<-- [end:round_trip]

# --8<-- [start:custom_objects]
before = constrained.predict(x, verbose=0)
constrained.save("non_negative.keras")

reloaded = keras.models.load_model("non_negative.keras", custom_objects={"non_negative": non_negative})
print(reloaded.layers[0].kernel_constraint is non_negative)
print("same config:", all(a.get_config() == b.get_config() for a, b in zip(reloaded.layers, constrained.layers)))
print(np.allclose(before, reloaded.predict(x, verbose=0)))
# --8<-- [end:custom_objects]

# --8<-- [start:no_get_config_class]
@keras.saving.register_keras_serializable(package="keras_hooks")
class ClipNoConfig(keras.constraints.Constraint):
    def __init__(self, limit):
        self.limit = limit

    def __call__(self, weights):
        return keras.ops.clip(weights, -self.limit, self.limit)


make_model(ClipNoConfig(0.25)).save("clip_no_config.keras")  # (1)!
# --8<-- [end:no_get_config_class]

try:
    # --8<-- [start:no_get_config_load]
    keras.models.load_model("clip_no_config.keras")
    # --8<-- [end:no_get_config_load]
except TypeError as error:
    print(f"{type(error).__name__}: {error}")
