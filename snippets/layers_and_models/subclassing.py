"""Subclassed models: a residual block layer, a model that stacks blocks, its
configuration, saving and loading, and the same network in functional form.

Run it as a script: python snippets/layers_and_models/subclassing.py
"""

# --8<-- [start:imports]
import json
import numpy as np
import keras
# --8<-- [end:imports]

# --8<-- [start:data]
keras.utils.set_random_seed(7)
x = np.random.uniform(-1.0, 1.0, size=(128, 4)).astype("float32")
y = (np.sin(3.0 * x[:, :1]) + x[:, 1:2] * x[:, 2:3]).astype("float32")
# --8<-- [end:data]


# --8<-- [start:block]
class ResidualBlock(keras.layers.Layer):
    def __init__(self, units, activation, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = activation
        self.hidden = keras.layers.Dense(units, activation=activation)  # (1)!
        self.transform = keras.layers.Dense(units)
        self.projection = None

    def build(self, input_shape):  # (2)!
        if input_shape[-1] != self.units:
            self.projection = keras.layers.Dense(self.units, use_bias=False)
            self.projection.build(input_shape)
        self.hidden.build(input_shape)
        self.transform.build((*input_shape[:-1], self.units))

    def call(self, inputs):
        shortcut = inputs if self.projection is None else self.projection(inputs)
        return shortcut + self.transform(self.hidden(inputs))  # (3)!

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        config = super().get_config()  # (4)!
        config.update({"units": self.units, "activation": self.activation})
        return config
# --8<-- [end:block]


# --8<-- [start:block_check]
block = ResidualBlock(8, activation="relu")
print(block.built)
print(keras.ops.shape(block(x[:2])))
print(block.built, block.projection is not None, len(block.weights))
# --8<-- [end:block_check]


# --8<-- [start:model]
class ResidualNet(keras.Model):
    def __init__(self, blocks, output_units, **kwargs):
        super().__init__(**kwargs)
        self.blocks = list(blocks)  # (1)!
        self.output_units = output_units
        self.head = keras.layers.Dense(output_units, name="head")

    def build(self, input_shape):  # (2)!
        shape = input_shape
        for block in self.blocks:
            if not block.built:  # (3)!
                block.build(shape)
            shape = block.compute_output_shape(shape)
        if not self.head.built:
            self.head.build(shape)

    def call(self, inputs):
        hidden = inputs
        for block in self.blocks:
            hidden = block(hidden)
        return self.head(hidden)

    def get_config(self):
        config = super().get_config()
        config.update({
            "blocks": [keras.saving.serialize_keras_object(b) for b in self.blocks],  # (4)!
            "output_units": self.output_units,
        })
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["blocks"] = [
            keras.saving.deserialize_keras_object(b) for b in config["blocks"]  # (5)!
        ]
        return cls(**config)
# --8<-- [end:model]


# --8<-- [start:build]
model = ResidualNet(
    [ResidualBlock(16, "relu", name="block_1"), ResidualBlock(16, "tanh", name="block_2")],
    output_units=1,
    name="residual_net",
)
model.build((None, 4))  # (1)!
print([layer.name for layer in model.layers])
print(model.count_params())
kernel = model.blocks[0].hidden.kernel
model.build((None, 4))  # (2)!
print(model.blocks[0].hidden.kernel is kernel, model.count_params())
# --8<-- [end:build]

# --8<-- [start:config]
config = model.get_config()
print(sorted(config))
print(config["blocks"][1]["class_name"], config["blocks"][1]["config"]["units"])
# --8<-- [end:config]

# --8<-- [start:train]
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss="mse")
history = model.fit(x, y, epochs=4, batch_size=32, verbose=0)
print([round(value, 3) for value in history.history["loss"]])
# --8<-- [end:train]

# --8<-- [start:save]
before = model.predict(x[:8], verbose=0)
model.save("residual_net.keras")
# --8<-- [end:save]

try:
    # --8<-- [start:load_unknown]
    keras.models.load_model("residual_net.keras")
    # --8<-- [end:load_unknown]
except TypeError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:load_custom_objects]
reloaded = keras.models.load_model(
    "residual_net.keras",
    custom_objects={"ResidualNet": ResidualNet, "ResidualBlock": ResidualBlock},  # (1)!
)
after = reloaded.predict(x[:8], verbose=0)
print("same config:", json.dumps(reloaded.get_config()) == json.dumps(model.get_config()))
print(reloaded.blocks[1].activation, reloaded.output_units)
print(type(reloaded).__name__, np.allclose(before, after))
# --8<-- [end:load_custom_objects]

# --8<-- [start:register]
register = keras.saving.register_keras_serializable(package="keras_hooks")
ResidualBlock = register(ResidualBlock)  # (1)!
ResidualNet = register(ResidualNet)

model.save("residual_net.keras")  # (2)!
reloaded = keras.models.load_model("residual_net.keras")
print("same config:", json.dumps(reloaded.get_config()) == json.dumps(model.get_config()))
print(reloaded.blocks[1].activation, keras.saving.get_registered_name(ResidualNet))
print(np.allclose(before, reloaded.predict(x[:8], verbose=0)))
# --8<-- [end:register]

# --8<-- [start:functional]
inputs = keras.Input(shape=(4,), name="features")
hidden = ResidualBlock(16, "relu", name="block_1")(inputs)
hidden = ResidualBlock(16, "tanh", name="block_2")(hidden)
outputs = keras.layers.Dense(1, name="head")(hidden)
functional = keras.Model(inputs, outputs, name="residual_functional")

for layer in functional.layers:
    print(f"{layer.name:10} {layer.output.shape}")  # (1)!
# --8<-- [end:functional]

try:
    # --8<-- [start:subclassed_output]
    model.get_layer("block_1").output
    # --8<-- [end:subclassed_output]
except AttributeError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:functional_features]
features = keras.Model(functional.input, functional.get_layer("block_1").output)
print(keras.ops.shape(features(x[:2])))
# --8<-- [end:functional_features]

# --8<-- [start:functional_save]
before = functional.predict(x[:8], verbose=0)
functional.save("residual_functional.keras")  # (1)!
reloaded = keras.models.load_model("residual_functional.keras")
print("same config:", json.dumps(reloaded.get_config()) == json.dumps(functional.get_config()))
print(reloaded.layers[2].activation)
print(np.allclose(before, reloaded.predict(x[:8], verbose=0)))
# --8<-- [end:functional_save]


# --8<-- [start:no_get_config]
class WideNet(keras.Model):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = keras.layers.Dense(units, activation="relu")
        self.head = keras.layers.Dense(1)

    def call(self, inputs):
        return self.head(self.hidden(inputs))


wide = WideNet(32)
wide(x[:1])  # builds the weights
# --8<-- [end:no_get_config]

try:
    # --8<-- [start:no_get_config_save]
    wide.save("wide.keras")
    # --8<-- [end:no_get_config_save]
except NotImplementedError as error:
    print(f"{type(error).__name__}: {error}")


# --8<-- [start:with_get_config]
class WideNet(keras.Model):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = keras.layers.Dense(units, activation="relu")
        self.head = keras.layers.Dense(1)

    def call(self, inputs):
        return self.head(self.hidden(inputs))

    def get_config(self):
        return {**super().get_config(), "units": self.units}


wide = WideNet(32)
wide(x[:1])  # builds the weights
before = wide.predict(x[:8], verbose=0)
wide.save("wide.keras")
reloaded = keras.models.load_model("wide.keras", custom_objects={"WideNet": WideNet})
print("same config:", json.dumps(reloaded.get_config()) == json.dumps(wide.get_config()))
print(reloaded.units, np.allclose(before, reloaded.predict(x[:8], verbose=0)))
# --8<-- [end:with_get_config]


# --8<-- [start:defaults_trap]
class DefaultWidthNet(keras.Model):
    def __init__(self, units=16, **kwargs):  # every argument has a default
        super().__init__(**kwargs)
        self.units = units
        self.hidden = keras.layers.Dense(units, activation="relu")
        self.head = keras.layers.Dense(1)

    def call(self, inputs):
        return self.head(self.hidden(inputs))


narrow = DefaultWidthNet(units=4)
print(narrow.units, narrow.get_config()["units"])
# --8<-- [end:defaults_trap]

try:
    # --8<-- [start:defaults_trap_load]
    narrow(x[:1])
    narrow.save("narrow.keras")  # (1)!
    keras.models.load_model("narrow.keras", custom_objects={"DefaultWidthNet": DefaultWidthNet})
    # --8<-- [end:defaults_trap_load]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:build_without_build]
unbuilt = DefaultWidthNet(units=4)
unbuilt.build((None, 4))  # (1)!
print(unbuilt.built, unbuilt.count_params())
unbuilt(x[:1])
print(unbuilt.count_params())
# --8<-- [end:build_without_build]
