"""Registered names: what a .keras file stores, which custom_objects keys match, activations
given by name, and a layer given as an activation.

Run it as a script: python snippets/common_problems/names_and_registration.py
"""

# --8<-- [start:imports]
import json
import re
import zipfile

import numpy as np
import keras

keras.utils.set_random_seed(0)
x = np.random.rand(16, 3).astype("float32") - 0.5
y = x.sum(axis=1, keepdims=True)


def stored(path):  # (1)!
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
    return config["config"]["layers"]


def as_saved(config):  # the file holds JSON, where a tuple becomes a list
    return json.loads(json.dumps(config))
# --8<-- [end:imports]


# --8<-- [start:registered]
@keras.saving.register_keras_serializable()  # (1)!
class Shift(keras.layers.Layer):
    def __init__(self, amount, **kwargs):
        super().__init__(**kwargs)
        self.amount = amount

    def call(self, inputs):
        return inputs + self.amount

    def get_config(self):
        return {**super().get_config(), "amount": self.amount}


@keras.saving.register_keras_serializable(package="demo", name="clipped")  # (2)!
def clipped_relu(x):
    return keras.ops.clip(x, 0.0, 2.0)


print(keras.saving.get_registered_name(Shift))
print(keras.saving.get_registered_name(clipped_relu))
# --8<-- [end:registered]

# --8<-- [start:stored_names]
model = keras.Sequential([
    keras.Input(shape=(3,)),
    keras.layers.Dense(2, activation=clipped_relu),
    Shift(amount=0.5),
])
model.save("shifted.keras")
for layer in stored("shifted.keras")[1:]:
    print({key: layer[key] for key in ("module", "class_name", "registered_name")})
print(stored("shifted.keras")[1]["config"]["activation"])
# --8<-- [end:stored_names]

# --8<-- [start:custom_objects_keys]
registry = keras.saving.get_custom_objects()
registry.pop("Custom>Shift")  # (1)!
registry.pop("demo>clipped")

def try_load(custom_objects):
    try:
        keras.models.load_model("shifted.keras", custom_objects=custom_objects)
        return "loads"
    except TypeError as error:
        return re.search(r"Could not locate \w+ '[^']*'", str(error))[0]  # (2)!


for key in ["Shift", "shift", "Custom>Shift"]:
    print(f"{key:14}", try_load({key: Shift, "demo>clipped": clipped_relu}))
for key in ["clipped_relu", "clipped", "demo>clipped"]:
    print(f"{key:14}", try_load({"Custom>Shift": Shift, key: clipped_relu}))
# --8<-- [end:custom_objects_keys]

# --8<-- [start:custom_objects_fix]
reloaded = keras.models.load_model(
    "shifted.keras", custom_objects={"Custom>Shift": Shift, "demo>clipped": clipped_relu})
print(reloaded.layers[1].amount, np.allclose(reloaded.predict(x, verbose=0), model.predict(x, verbose=0)))
print("same config:", as_saved(reloaded.get_config()) == as_saved(model.get_config()))
# --8<-- [end:custom_objects_fix]


try:
    # --8<-- [start:activation_string]
    def capped(x):
        return keras.ops.minimum(keras.ops.relu(x), 1.5)

    keras.utils.get_custom_objects()["capped"] = capped  # (1)!
    keras.layers.Dense(2, activation="capped")
    # --8<-- [end:activation_string]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")


# --8<-- [start:activation_string_registered]
@keras.saving.register_keras_serializable(package="acts")
def softer(x):
    return keras.ops.softplus(x) - keras.ops.log(2.0)


for identifier in ["softer", "acts>softer"]:
    try:
        keras.layers.Dense(2, activation=identifier)
    except ValueError as error:
        print(f"{type(error).__name__}: {error}")
# --8<-- [end:activation_string_registered]

# --8<-- [start:activation_fix]
model = keras.Sequential([
    keras.Input(shape=(3,)),
    keras.layers.Dense(2, activation=capped),  # (1)!
    keras.layers.Dense(2, activation=softer),
])
model.save("activations.keras")
print([layer["config"]["activation"]["config"] for layer in stored("activations.keras")[1:]])
reloaded = keras.models.load_model("activations.keras")  # (2)!
print([layer.activation.__name__ for layer in reloaded.layers])
print("same config:", as_saved(reloaded.get_config()) == as_saved(model.get_config()))
# --8<-- [end:activation_fix]

# --8<-- [start:activation_layer]
keras.utils.set_random_seed(0)
hidden = keras.layers.Dense(
    2, activation=keras.layers.PReLU(alpha_initializer=keras.initializers.Constant(0.25),
                                     name="prelu"),
    kernel_initializer="identity", name="hidden")
model = keras.Sequential([keras.Input(shape=(3,)), hidden,
                          keras.layers.Dense(1, kernel_initializer="ones", name="out")], name="net")
model.compile(optimizer=keras.optimizers.SGD(0.5), loss="mse")
model.fit(x, y, epochs=5, verbose=0)
print([weight.path for weight in model.trainable_weights])
print(np.round(keras.ops.convert_to_numpy(hidden.activation.alpha), 4))
# --8<-- [end:activation_layer]

# --8<-- [start:activation_layer_saved]
model.save("prelu.keras")
activation = stored("prelu.keras")[1]["config"]["activation"]
print(activation["module"], activation["class_name"], activation["config"]["name"])
reloaded = keras.models.load_model("prelu.keras")
print(np.round(keras.ops.convert_to_numpy(reloaded.layers[0].activation.alpha), 4))
print(np.allclose(reloaded.predict(x, verbose=0), model.predict(x, verbose=0)))
print("same config:", as_saved(reloaded.get_config()) == as_saved(model.get_config()))
# --8<-- [end:activation_layer_saved]
