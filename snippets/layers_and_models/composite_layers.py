"""Layers made of layers: sublayers, `build()` for a clean reload, and masking.

Run it as a script: python snippets/layers_and_models/composite_layers.py
"""

# --8<-- [start:imports]
import json
import warnings

import numpy as np
import keras
# --8<-- [end:imports]

# --8<-- [start:lazy_block]
class LazyBlock(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.project = keras.layers.Dense(units)  # (1)!
        self.transform = keras.layers.Dense(units, activation="relu")

    def call(self, inputs):
        projected = self.project(inputs)
        return projected + self.transform(projected)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


keras.utils.set_random_seed(1)
x = np.array([[0.1, 0.2, 0.3], [1.0, -1.0, 0.5]], dtype="float32")
lazy = LazyBlock(4)
print(tuple(lazy(x).shape))
print([tuple(w.shape) for w in lazy.weights])  # (2)!
projected = lazy.project(x)
print(np.allclose(
    keras.ops.convert_to_numpy(lazy(x)),
    keras.ops.convert_to_numpy(projected + lazy.transform(projected)),
))  # (3)!
# --8<-- [end:lazy_block]

# --8<-- [start:lazy_reload]
model = keras.Sequential([keras.Input(shape=(3,)), LazyBlock(4, name="lazy")])
before = keras.ops.convert_to_numpy(model(x))
model.save("lazy.keras")

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    restored = keras.models.load_model("lazy.keras", custom_objects={"LazyBlock": LazyBlock})
for warning in caught:
    print(f"{warning.category.__name__}: {warning.message}")
print("same config:", json.dumps(restored.get_config()) == json.dumps(model.get_config()))
print(restored.layers[0].units, np.allclose(before, keras.ops.convert_to_numpy(restored(x))))
# --8<-- [end:lazy_reload]

# --8<-- [start:lazy_build]
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    lazy = LazyBlock(4, name="lazy")
    lazy.build((None, 3))  # (1)!
print("warnings:", len(caught))
print("built:", lazy.built, "weights:", len(lazy.weights))
# --8<-- [end:lazy_build]

# --8<-- [start:residual_block]
@keras.saving.register_keras_serializable(package="keras_hooks")
class ResidualBlock(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.project = keras.layers.Dense(units)
        self.transform = keras.layers.Dense(units, activation="relu")

    def build(self, input_shape):
        self.project.build(input_shape)  # (1)!
        projected_shape = self.project.compute_output_shape(input_shape)
        self.transform.build(projected_shape)

    def call(self, inputs):
        projected = self.project(inputs)
        return projected + self.transform(projected)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


block = ResidualBlock(4)
block.build((None, 3))
print("built:", block.built, "weights:", [tuple(w.shape) for w in block.weights])
# --8<-- [end:residual_block]

# --8<-- [start:residual_round_trip]
keras.utils.set_random_seed(1)
model = keras.Sequential(
    [keras.Input(shape=(3,)), ResidualBlock(4), ResidualBlock(4), keras.layers.Dense(1)]
)
before = keras.ops.convert_to_numpy(model(x))
model.save("residual.keras")

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    restored = keras.models.load_model("residual.keras")
print("warnings:", [str(warning.message) for warning in caught])
print("same config:", json.dumps(restored.get_config()) == json.dumps(model.get_config()))
print("units:", [layer.units for layer in restored.layers[:2]])
print(tuple(before.shape), np.allclose(before, keras.ops.convert_to_numpy(restored(x))))
# --8<-- [end:residual_round_trip]

# --8<-- [start:embedding_mask]
tokens = np.array([[4, 2, 9, 0, 0], [7, 0, 0, 0, 0]])  # (1)!
embedding = keras.layers.Embedding(input_dim=10, output_dim=3, mask_zero=True)
embedded = embedding(tokens)
print(keras.ops.convert_to_numpy(embedding.compute_mask(tokens)))
# --8<-- [end:embedding_mask]

# --8<-- [start:masking_layers]
@keras.saving.register_keras_serializable(package="keras_hooks")
class ZeroPadding(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True  # (1)!

    def call(self, inputs, mask=None):  # (2)!
        if mask is None:
            return inputs
        keep = keras.ops.cast(mask, inputs.dtype)
        return inputs * keras.ops.expand_dims(keep, axis=-1)

    def compute_mask(self, inputs, mask=None):
        return mask  # (3)!


@keras.saving.register_keras_serializable(package="keras_hooks")
class MaskedAverage(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            return keras.ops.mean(inputs, axis=1)
        keep = keras.ops.expand_dims(keras.ops.cast(mask, inputs.dtype), axis=-1)
        total = keras.ops.sum(inputs * keep, axis=1)
        return total / keras.ops.maximum(keras.ops.sum(keep, axis=1), 1.0)

    def compute_mask(self, inputs, mask=None):
        return None  # (4)!

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[2])
# --8<-- [end:masking_layers]

# --8<-- [start:masking_eager]
zero_padding = ZeroPadding()
average = MaskedAverage()
zeroed = zero_padding(embedded)  # (1)!
mask = embedding.compute_mask(tokens)
print(keras.ops.convert_to_numpy(zero_padding.compute_mask(embedded, mask)))
print(np.count_nonzero(keras.ops.convert_to_numpy(zeroed), axis=-1))
print(average.compute_mask(zeroed, mask))
pooled = keras.ops.convert_to_numpy(average(zeroed))
first_three = keras.ops.convert_to_numpy(keras.ops.mean(embedded[0, :3], axis=0))
print(np.allclose(pooled[0], first_three))  # (2)!
# --8<-- [end:masking_eager]

# --8<-- [start:masking_model]
keras.utils.set_random_seed(2)
token_input = keras.Input(shape=(None,), dtype="int32")
hidden = keras.layers.Embedding(input_dim=10, output_dim=3, mask_zero=True)(token_input)
hidden = ZeroPadding()(hidden)
hidden = MaskedAverage()(hidden)
score = keras.layers.Dense(1)(hidden)
model = keras.Model(token_input, score)

padded = keras.ops.convert_to_numpy(model(np.array([[4, 2, 9, 0, 0]])))
unpadded = keras.ops.convert_to_numpy(model(np.array([[4, 2, 9]])))
print("same score with and without padding:", np.allclose(padded, unpadded))

model.save("masking.keras")
restored = keras.models.load_model("masking.keras")
print("same config:", json.dumps(restored.get_config()) == json.dumps(model.get_config()))
print("mask_zero:", restored.layers[1].mask_zero)
print(np.allclose(keras.ops.convert_to_numpy(model(tokens)), keras.ops.convert_to_numpy(restored(tokens))))
# --8<-- [end:masking_model]

# --8<-- [start:masking_layer]
steps = np.array([
    [[1.0, 2.0], [3.0, 4.0], [0.0, 0.0]],
    [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]],  # (1)!
], dtype="float32")
masking = keras.layers.Masking(mask_value=0.0)
print(keras.ops.convert_to_numpy(masking.compute_mask(steps)))
print(keras.ops.convert_to_numpy(MaskedAverage()(masking(steps))))
# --8<-- [end:masking_layer]

# --8<-- [start:mask_dropped]
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    passed = ResidualBlock(3, name="residual")(embedded)  # (1)!
for warning in caught:
    print(f"{warning.category.__name__}: {warning.message}")
pooled = keras.ops.convert_to_numpy(MaskedAverage()(passed))
plain_mean = keras.ops.convert_to_numpy(keras.ops.mean(passed, axis=1))
print("padding included in the average:", np.allclose(pooled, plain_mean))
# --8<-- [end:mask_dropped]
