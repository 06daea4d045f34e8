"""Custom activation functions: a plain function, the Activation layer, a numerically
stable form, registration for saving, and the mistakes that break loading.

Run it as a script: python snippets/building_blocks/activations.py
"""

# --8<-- [start:imports]
import numpy as np
import tensorflow as tf
import keras
# --8<-- [end:imports]

# --8<-- [start:plain_ops]
def my_softplus(z):
    return keras.ops.log(1.0 + keras.ops.exp(z))  # (1)!


print(np.round(keras.ops.convert_to_numpy(my_softplus(np.array([-1.0, 0.0, 1.0]))), 4))
# --8<-- [end:plain_ops]

# --8<-- [start:plain_tf]
def my_softplus_tf(z):
    return tf.math.log(1.0 + tf.exp(z))


print(np.round(my_softplus_tf(np.array([-1.0, 0.0, 1.0])).numpy(), 4))
# --8<-- [end:plain_tf]

# --8<-- [start:in_dense]
keras.utils.set_random_seed(0)
x = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")

layer = keras.layers.Dense(2, activation=my_softplus)  # (1)!
outputs = layer(x)

pre_activation = x @ keras.ops.convert_to_numpy(layer.kernel) + keras.ops.convert_to_numpy(layer.bias)
print(np.allclose(keras.ops.convert_to_numpy(outputs), my_softplus(pre_activation)))  # (2)!
print("all outputs positive:", bool(np.all(keras.ops.convert_to_numpy(outputs) > 0)))
# --8<-- [end:in_dense]

# --8<-- [start:activation_layer]
linear = keras.layers.Dense(2)
linear.build((None, 3))
linear.set_weights(layer.get_weights())  # (1)!

softplus_layer = keras.layers.Activation(my_softplus)  # (2)!
print(np.allclose(keras.ops.convert_to_numpy(softplus_layer(linear(x))), keras.ops.convert_to_numpy(layer(x))))
# --8<-- [end:activation_layer]

# --8<-- [start:overflow]
z = np.array([-20.0, 0.0, 20.0, 80.0, 90.0], dtype="float32")
print("naive:   ", keras.ops.convert_to_numpy(my_softplus(z)))  # (1)!


def gradient(activation, z):  # (2)!
    weights = keras.layers.Dense(len(z), activation=activation, use_bias=False)
    model = keras.Sequential([keras.Input(shape=(1,)), weights])
    weights.set_weights([z[None, :]])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0),
                  loss=lambda y_true, y_pred: keras.ops.sum(y_pred))
    model.train_on_batch(np.ones((1, 1)), np.zeros((1, len(z))))
    return z - keras.ops.convert_to_numpy(weights.kernel)[0]


print("gradient:", np.round(gradient(my_softplus, z), 4))  # (3)!
# --8<-- [end:overflow]

# --8<-- [start:stable]
def stable_softplus(z):
    positive_part = keras.ops.add(z, keras.ops.abs(z)) / 2  # (1)!
    return positive_part + keras.ops.log1p(keras.ops.exp(-keras.ops.abs(z)))  # (2)!


print("stable:  ", np.round(keras.ops.convert_to_numpy(stable_softplus(z)), 4))
print("built-in:", np.round(keras.ops.convert_to_numpy(keras.ops.softplus(z)), 4))  # (3)!
print("gradient:", np.round(gradient(stable_softplus, z), 4))
# --8<-- [end:stable]

# --8<-- [start:small_values]
z_small = np.array([-20.0], dtype="float32")
print(f"naive:  {float(my_softplus(z_small)[0]):.3g}")
print(f"stable: {float(stable_softplus(z_small)[0]):.3g}")  # (1)!
# --8<-- [end:small_values]

# --8<-- [start:register]
@keras.saving.register_keras_serializable(package="keras_hooks")  # (1)!
def smooth_relu(z):
    return keras.ops.maximum(z, 0.0) + keras.ops.log1p(keras.ops.exp(-keras.ops.abs(z)))


print(keras.saving.get_registered_name(smooth_relu))  # (2)!
# --8<-- [end:register]

# --8<-- [start:save_registered]
keras.utils.set_random_seed(1)
model = keras.Sequential([
    keras.Input(shape=(3,)),
    keras.layers.Dense(4, activation=smooth_relu),
    keras.layers.Dense(1),
    keras.layers.Activation(smooth_relu),
])
before = model.predict(x, verbose=0)
model.save("smooth_relu.keras")

reloaded = keras.models.load_model("smooth_relu.keras")  # (1)!
print(reloaded.layers[0].activation is smooth_relu)
print("same config:", all(a.get_config() == b.get_config() for a, b in zip(reloaded.layers, model.layers)))
print(np.allclose(before, reloaded.predict(x, verbose=0)))
# --8<-- [end:save_registered]

# --8<-- [start:save_custom_objects]
keras.utils.set_random_seed(2)
plain = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2, activation=stable_softplus)])
before = plain.predict(x, verbose=0)
plain.save("stable_softplus.keras")

reloaded = keras.models.load_model(
    "stable_softplus.keras",
    custom_objects={"stable_softplus": stable_softplus},  # (1)!
)
print(reloaded.layers[0].activation is stable_softplus)
print("same config:", all(a.get_config() == b.get_config() for a, b in zip(reloaded.layers, plain.layers)))
print(np.allclose(before, reloaded.predict(x, verbose=0)))
# --8<-- [end:save_custom_objects]

try:
    # --8<-- [start:load_unregistered]
    keras.models.load_model("stable_softplus.keras")
    # --8<-- [end:load_unregistered]
except TypeError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:book_tf_activation]
def book_softplus(z):
    return tf.math.log(1.0 + tf.exp(z))


inputs = keras.Input(shape=(3,))
# --8<-- [end:book_tf_activation]

try:
    # --8<-- [start:tf_on_keras_tensor]
    outputs = book_softplus(keras.layers.Dense(2)(inputs))
    # --8<-- [end:tf_on_keras_tensor]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:tf_fix]
hidden = keras.layers.Dense(2)(inputs)
outputs = keras.layers.Activation(book_softplus)(hidden)  # (1)!
functional = keras.Model(inputs, outputs)
print(functional.output.shape)
# --8<-- [end:tf_fix]
