"""`keras.layers.Lambda`: quick stateless operations, why a Python lambda does not
survive saving, and the alternatives that do.

Run it as a script: python snippets/layers_and_models/lambda.py
"""

# --8<-- [start:imports]
import json
import numpy as np
import tensorflow as tf
import keras
# --8<-- [end:imports]

# --8<-- [start:quick]
clip = keras.layers.Lambda(lambda t: keras.ops.clip(t, -1.0, 1.0))
x = np.array([[-2.0, -0.5, 0.5, 2.0]], dtype="float32")
print(keras.ops.convert_to_numpy(clip(x)))
print("weights:", len(clip.weights))
# --8<-- [end:quick]

# --8<-- [start:arguments]
power = keras.layers.Lambda(lambda t, exponent: t**exponent, arguments={"exponent": 3})
print(keras.ops.convert_to_numpy(power(x)))
print(power.get_config()["arguments"])
# --8<-- [end:arguments]

# --8<-- [start:lambda_model]
keras.utils.set_random_seed(0)
x = np.array([[0.1, 0.2, 0.3], [1.0, -1.0, 0.5]], dtype="float32")

lambda_model = keras.Sequential(
    [
        keras.Input(shape=(3,)),
        keras.layers.Dense(2),
        keras.layers.Lambda(lambda t: keras.ops.exp(t)),  # (1)!
    ]
)
before = lambda_model.predict(x, verbose=0)
print(before.shape)
lambda_model.save("lambda_exp.keras")  # (2)!
# --8<-- [end:lambda_model]

try:
    # --8<-- [start:safe_mode_error]
    keras.models.load_model("lambda_exp.keras")
    # --8<-- [end:safe_mode_error]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:unsafe_load]
unsafe = keras.models.load_model("lambda_exp.keras", safe_mode=False)
print(type(unsafe).__name__, len(unsafe.layers))
print("same config:", json.dumps(unsafe.get_config()) == json.dumps(lambda_model.get_config()))
# --8<-- [end:unsafe_load]

try:
    # --8<-- [start:name_error]
    unsafe(x)
    # --8<-- [end:name_error]
except NameError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:functional_lambda]
inputs = keras.Input(shape=(3,))
outputs = keras.layers.Lambda(lambda t: keras.ops.exp(t))(keras.layers.Dense(2)(inputs))
keras.Model(inputs, outputs).save("lambda_functional.keras")
# --8<-- [end:functional_lambda]

try:
    # --8<-- [start:functional_error]
    keras.models.load_model("lambda_functional.keras", safe_mode=False)
    # --8<-- [end:functional_error]
except NotImplementedError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:ops_model]
keras.utils.set_random_seed(0)
inputs = keras.Input(shape=(3,))
hidden = keras.layers.Dense(2)(inputs)
outputs = keras.ops.exp(hidden)  # (1)!
ops_model = keras.Model(inputs, outputs)
before = ops_model.predict(x, verbose=0)
ops_model.save("ops.keras")

restored = keras.models.load_model("ops.keras")  # (2)!
print("same config:", json.dumps(restored.get_config()) == json.dumps(ops_model.get_config()))
print(type(restored.layers[-1]).__name__)
print(np.allclose(before, restored.predict(x, verbose=0)))
# --8<-- [end:ops_model]

# --8<-- [start:registered_function]
@keras.saving.register_keras_serializable(package="keras_hooks")
def soft_cap(t):
    return 3.0 * keras.ops.tanh(t / 3.0)


keras.utils.set_random_seed(0)
model = keras.Sequential(
    [keras.Input(shape=(3,)), keras.layers.Dense(2), keras.layers.Lambda(soft_cap)]
)
print(model.layers[-1].get_config()["function"]["config"])  # (1)!
before = model.predict(x, verbose=0)
model.save("soft_cap.keras")

restored = keras.models.load_model("soft_cap.keras")
print("same config:", json.dumps(restored.get_config()) == json.dumps(model.get_config()))
print(restored.layers[-1].function is soft_cap)
print(np.allclose(before, restored.predict(x, verbose=0)))
# --8<-- [end:registered_function]

# --8<-- [start:plain_function]
def halve(t):
    return t / 2.0


model = keras.Sequential(
    [keras.Input(shape=(3,)), keras.layers.Dense(2), keras.layers.Lambda(halve)]
)
before = model.predict(x, verbose=0)
model.save("halve.keras")

restored = keras.models.load_model("halve.keras", custom_objects={"halve": halve})
print("same config:", json.dumps(restored.get_config()) == json.dumps(model.get_config()))
print(restored.layers[-1].function is halve)
print(np.allclose(before, restored.predict(x, verbose=0)))
# --8<-- [end:plain_function]

try:
    # --8<-- [start:plain_function_missing]
    keras.models.load_model("halve.keras")
    # --8<-- [end:plain_function_missing]
except TypeError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:exp_layer]
@keras.saving.register_keras_serializable(package="keras_hooks")
class Exp(keras.layers.Layer):
    def call(self, inputs):
        return keras.ops.exp(inputs)


keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2), Exp()])
before = model.predict(x, verbose=0)
model.save("exp_layer.keras")

restored = keras.models.load_model("exp_layer.keras")
print("same config:", json.dumps(restored.get_config()) == json.dumps(model.get_config()))
print(type(restored.layers[-1]).__name__)
print(np.allclose(before, restored.predict(x, verbose=0)))
print(np.allclose(before, lambda_model.predict(x, verbose=0)))  # (1)!
# --8<-- [end:exp_layer]

try:
    # --8<-- [start:keras_tensor_error]
    inputs = keras.Input(shape=(3,))
    outputs = tf.exp(inputs)
    # --8<-- [end:keras_tensor_error]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")
