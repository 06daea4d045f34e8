"""Custom regularizers: a function, a Regularizer subclass with get_config, activity
regularization, how the penalty enters the loss, and saving and loading.

Run it as a script: python snippets/building_blocks/regularizers.py
"""

# --8<-- [start:imports]
import numpy as np
import tensorflow as tf
import keras
# --8<-- [end:imports]

# --8<-- [start:function_ops]
def l1_penalty(weights):
    return 0.01 * keras.ops.sum(keras.ops.abs(weights))  # (1)!


print(round(float(l1_penalty(np.array([[1.0, -2.0], [3.0, -4.0]]))), 4))
# --8<-- [end:function_ops]

# --8<-- [start:function_tf]
def l1_penalty_tf(weights):
    return 0.01 * tf.reduce_sum(tf.abs(weights))


print(round(float(l1_penalty_tf(tf.constant([[1.0, -2.0], [3.0, -4.0]]))), 4))
# --8<-- [end:function_tf]

# --8<-- [start:layer_losses]
layer = keras.layers.Dense(2, kernel_initializer="ones", kernel_regularizer=l1_penalty)
layer.build((None, 3))
print([round(float(loss), 4) for loss in layer.losses])  # (1)!

layer.kernel.assign(2.0 * np.ones((3, 2), dtype="float32"))
print([round(float(loss), 4) for loss in layer.losses])  # (2)!
# --8<-- [end:layer_losses]

# --8<-- [start:reported_loss]
x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
y = np.random.default_rng(1).normal(size=(8, 2)).astype("float32")

model = keras.Sequential([keras.Input(shape=(3,)), layer])
model.compile(optimizer="sgd", loss="mse", metrics=["mse"])
report = model.evaluate(x, y, verbose=0, return_dict=True)

mse = float(keras.ops.mean(keras.losses.mean_squared_error(y, model.predict(x, verbose=0))))
penalty = float(keras.ops.sum(model.losses))
print("reported loss:", round(report["loss"], 4))
print("mse + penalty:", round(mse + penalty, 4))  # (1)!
print("reported mse: ", round(report["mse"], 4))  # (2)!
print("mse by hand:  ", round(mse, 4))
# --8<-- [end:reported_loss]

# --8<-- [start:frozen]
layer.trainable = False
print("layer.losses:  ", layer.losses)
print("before compile:", round(model.evaluate(x, y, verbose=0, return_dict=True)["loss"], 4))
model.compile(optimizer="sgd", loss="mse", metrics=["mse"])
print("after compile: ", round(model.evaluate(x, y, verbose=0, return_dict=True)["loss"], 4))
# --8<-- [end:frozen]

# --8<-- [start:subclass]
@keras.saving.register_keras_serializable(package="keras_hooks")
class L1Penalty(keras.regularizers.Regularizer):
    def __init__(self, factor):
        self.factor = factor

    def __call__(self, weights):
        return self.factor * keras.ops.sum(keras.ops.abs(weights))

    def get_config(self):
        return {"factor": self.factor}  # (1)!


print(round(float(L1Penalty(0.5)(np.array([1.0, -2.0, 3.0]))), 4))
# --8<-- [end:subclass]

# --8<-- [start:activity]
activity_layer = keras.layers.Dense(2, kernel_initializer="ones", activity_regularizer=L1Penalty(0.01))
outputs = activity_layer(np.ones((4, 3), dtype="float32"))  # (1)!

print("sum |outputs|:", float(keras.ops.sum(keras.ops.abs(outputs))))
print("layer.losses: ", [round(float(loss), 4) for loss in activity_layer.losses])  # (2)!
# --8<-- [end:activity]

# --8<-- [start:round_trip]
keras.utils.set_random_seed(2)
model = keras.Sequential([
    keras.Input(shape=(3,)),
    keras.layers.Dense(4, activation="relu", kernel_regularizer=L1Penalty(0.002)),
    keras.layers.Dense(2, activity_regularizer=L1Penalty(0.001)),
])
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, epochs=3, verbose=0)
before = model.predict(x, verbose=0)
model.save("l1_penalty.keras")

reloaded = keras.models.load_model("l1_penalty.keras")
print(reloaded.layers[0].kernel_regularizer.get_config())
print(reloaded.layers[1].activity_regularizer.get_config())
print("same config:", all(a.get_config() == b.get_config() for a, b in zip(reloaded.layers, model.layers)))  # (1)!
print(np.allclose(before, reloaded.predict(x, verbose=0)))
# --8<-- [end:round_trip]

# --8<-- [start:custom_objects]
model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2, kernel_regularizer=l1_penalty)])
before = model.predict(x, verbose=0)
model.save("l1_function.keras")

reloaded = keras.models.load_model("l1_function.keras", custom_objects={"l1_penalty": l1_penalty})
print(reloaded.layers[0].kernel_regularizer is l1_penalty)
print("same config:", all(a.get_config() == b.get_config() for a, b in zip(reloaded.layers, model.layers)))
print(np.allclose(before, reloaded.predict(x, verbose=0)))
# --8<-- [end:custom_objects]

# --8<-- [start:book_class]
class BookL1Regularizer(keras.regularizers.Regularizer):
    def __init__(self, factor):  # (1)!
        self.factor = factor

    def __call__(self, weights):
        return tf.reduce_sum(tf.abs(self.factor * weights))

    def get_config(self):
        return {"factor": self.factor}


weights = np.array([[1.0, -2.0], [3.0, -4.0]], dtype="float32")
print(round(float(BookL1Regularizer(0.01)(weights)), 4), round(float(L1Penalty(0.01)(weights)), 4))
# --8<-- [end:book_class]

# --8<-- [start:no_get_config_class]
class NoConfigL1(keras.regularizers.Regularizer):
    def __init__(self, factor=0.01):
        self.factor = factor

    def __call__(self, weights):
        return self.factor * keras.ops.sum(keras.ops.abs(weights))


model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2, kernel_regularizer=NoConfigL1())])
# --8<-- [end:no_get_config_class]

try:
    # --8<-- [start:no_get_config_save]
    model.save("no_config.keras")
    # --8<-- [end:no_get_config_save]
except NotImplementedError as error:
    print(f"{type(error).__name__}: {error}")
