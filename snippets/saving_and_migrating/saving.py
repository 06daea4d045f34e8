"""Saving and loading models with custom objects: the `.keras` format, registration,
`custom_objects`, `custom_object_scope`, `get_config`/`from_config`,
`get_build_config`/`build_from_config`, `safe_mode`, and `model.export` for serving.

Run it as a script: python snippets/saving_and_migrating/saving.py
"""

# --8<-- [start:imports]
import json
import os
import zipfile

import numpy as np
import keras
# --8<-- [end:imports]

# --8<-- [start:keras_format]
keras.utils.set_random_seed(7)
x = np.random.rand(8, 3).astype("float32")
y = x.sum(axis=1, keepdims=True)

model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(4), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, epochs=2, verbose=0)
model.save("model.keras")

with zipfile.ZipFile("model.keras") as archive:  # (1)!
    print(sorted(archive.namelist()))
    config = json.loads(archive.read("config.json"))
    metadata = json.loads(archive.read("metadata.json"))
print("config.json:", sorted(config))
print("metadata.json:", sorted(metadata))
# --8<-- [end:keras_format]

# --8<-- [start:keras_format_load]
def as_saved(config):
    return json.loads(json.dumps(config))  # (2)!


restored = keras.models.load_model("model.keras")
print(np.allclose(model.predict(x, verbose=0), restored.predict(x, verbose=0)))
print("same config:", as_saved(restored.get_config()) == as_saved(model.get_config()))
print("optimizer iterations:", int(restored.optimizer.iterations))  # (1)!
# --8<-- [end:keras_format_load]


# --8<-- [start:register]
@keras.saving.register_keras_serializable(package="keras_hooks", name="Scale")  # (1)!
class ScaleLayer(keras.layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        return inputs * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


@keras.saving.register_keras_serializable(package="keras_hooks")  # (2)!
def half_squared_error(y_true, y_pred):
    return 0.5 * keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)


print(keras.saving.get_registered_name(ScaleLayer))
print(keras.saving.get_registered_name(half_squared_error))
print(keras.saving.get_registered_object("keras_hooks>Scale") is ScaleLayer)
# --8<-- [end:register]

# --8<-- [start:register_round_trip]
scaled = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1), ScaleLayer(3.0)])
scaled.compile(optimizer="sgd", loss=half_squared_error)
scaled.save("scaled.keras")

restored = keras.models.load_model("scaled.keras")  # (1)!
print(restored.layers[-1].factor, restored.loss is half_squared_error)
print(np.allclose(scaled.predict(x, verbose=0), restored.predict(x, verbose=0)))
print("same config:", as_saved(restored.get_config()) == as_saved(scaled.get_config()))
# --8<-- [end:register_round_trip]


# --8<-- [start:custom_objects]
class Offset(keras.layers.Layer):  # not registered
    def __init__(self, offset=1.0, **kwargs):
        super().__init__(**kwargs)
        self.offset = offset

    def call(self, inputs):
        return inputs + self.offset

    def get_config(self):
        return {**super().get_config(), "offset": self.offset}


def mean_abs_error(y_true, y_pred):  # not registered
    return keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1)


shifted = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1), Offset(0.5)])
shifted.compile(optimizer="sgd", loss=mean_abs_error)
shifted.save("shifted.keras")

restored = keras.models.load_model(
    "shifted.keras",
    custom_objects={"Offset": Offset, "mean_abs_error": mean_abs_error},  # (1)!
)
print(np.allclose(shifted.predict(x, verbose=0), restored.predict(x, verbose=0)), restored.layers[-1].offset)
print("same config:", as_saved(restored.get_config()) == as_saved(shifted.get_config()))
# --8<-- [end:custom_objects]

# --8<-- [start:custom_object_scope]
with keras.saving.custom_object_scope({"Offset": Offset, "mean_abs_error": mean_abs_error}):
    restored = keras.models.load_model("shifted.keras")  # (1)!
    clone = keras.models.clone_model(shifted)  # (2)!
print(np.allclose(shifted.predict(x, verbose=0), restored.predict(x, verbose=0)), restored.layers[-1].offset)
print("same config:", as_saved(restored.get_config()) == as_saved(shifted.get_config()))
print(type(clone.layers[-1]).__name__, clone.layers[-1].offset)
# --8<-- [end:custom_object_scope]


# --8<-- [start:from_config]
@keras.saving.register_keras_serializable(package="keras_hooks")
class Residual(keras.layers.Layer):
    """Adds the output of an inner layer to its input: inputs + inner(inputs)."""

    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def call(self, inputs):
        return inputs + self.inner(inputs)

    def get_config(self):
        return {**super().get_config(), "inner": self.inner}  # (1)!

    @classmethod
    def from_config(cls, config):
        config["inner"] = keras.saving.deserialize_keras_object(config["inner"])  # (2)!
        return cls(**config)


residual = Residual(keras.layers.Dense(3), name="residual")
saved_config = keras.saving.serialize_keras_object(residual)["config"]
print(type(saved_config["inner"]).__name__, saved_config["inner"]["class_name"])
# --8<-- [end:from_config]

# --8<-- [start:from_config_round_trip]
with_residual = keras.Sequential([keras.Input(shape=(3,)), residual, keras.layers.Dense(1)])
with_residual.save("residual.keras")
restored = keras.models.load_model("residual.keras")
print(type(restored.layers[0].inner).__name__)
print(np.allclose(with_residual.predict(x, verbose=0), restored.predict(x, verbose=0)))
print("same config:", as_saved(restored.get_config()) == as_saved(with_residual.get_config()))
# --8<-- [end:from_config_round_trip]


# --8<-- [start:build_config]
@keras.saving.register_keras_serializable(package="keras_hooks")
class CategoryEmbedding(keras.layers.Layer):
    """Learns one vector per category; the number of categories comes from adapt()."""

    def __init__(self, dim, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim

    def adapt(self, category_ids):
        self._create_table(int(np.max(category_ids)) + 1)

    def _create_table(self, num_categories):
        self.num_categories = num_categories
        self.table = self.add_weight(
            shape=(num_categories, self.dim), initializer="random_normal", name="table"
        )
        self.built = True

    def call(self, category_ids):
        return keras.ops.take(self.table, keras.ops.cast(category_ids, "int32"), axis=0)

    def get_config(self):
        return {**super().get_config(), "dim": self.dim}

    def get_build_config(self):  # (1)!
        return {"num_categories": self.num_categories}

    def build_from_config(self, config):  # (2)!
        self._create_table(config["num_categories"])


embedding = CategoryEmbedding(dim=2, name="categories")
embedding.adapt(np.array([0, 3, 1, 4, 2]))
ids = np.array([[1], [4]])
lookup = keras.Sequential([keras.Input(shape=(1,), dtype="int32"), embedding])
lookup.save("lookup.keras")

with zipfile.ZipFile("lookup.keras") as archive:
    layer_entry = json.loads(archive.read("config.json"))["config"]["layers"][1]
print(layer_entry["build_config"])
restored = keras.models.load_model("lookup.keras")
print(restored.layers[0].table.shape)
print(np.allclose(lookup.predict(ids, verbose=0), restored.predict(ids, verbose=0)))
print("same config:", as_saved(restored.get_config()) == as_saved(lookup.get_config()))
# --8<-- [end:build_config]

# --8<-- [start:safe_mode_save]
doubler = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Lambda(lambda t: t * 2.0)])
doubler.save("doubler.keras")
# --8<-- [end:safe_mode_save]

try:
    # --8<-- [start:safe_mode_refused]
    keras.models.load_model("doubler.keras")
    # --8<-- [end:safe_mode_refused]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:safe_mode_false]
restored = keras.models.load_model("doubler.keras", safe_mode=False)  # (1)!
print(np.allclose(doubler.predict(x, verbose=0), restored.predict(x, verbose=0)), float(restored.layers[0].function(2.0)))
print("same config:", as_saved(restored.get_config()) == as_saved(doubler.get_config()))  # (2)!
# --8<-- [end:safe_mode_false]


# --8<-- [start:safe_mode_fix]
@keras.saving.register_keras_serializable(package="keras_hooks")
def double(t):
    return t * 2.0


named_doubler = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Lambda(double)])
named_doubler.save("named_doubler.keras")
restored = keras.models.load_model("named_doubler.keras")  # (1)!
print(np.allclose(named_doubler.predict(x, verbose=0), restored.predict(x, verbose=0)), restored.layers[0].function.__name__)
print("same config:", as_saved(restored.get_config()) == as_saved(named_doubler.get_config()))
# --8<-- [end:safe_mode_fix]

# --8<-- [start:portable_objects]
@keras.saving.register_keras_serializable(package="portable")
class ScaledTanh(keras.layers.Layer):
    """tanh(x) times a trainable scale, in keras.ops only."""

    def __init__(self, initial_scale=1.0, **kwargs):
        super().__init__(**kwargs)
        self.initial_scale = initial_scale

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(), name="scale",
                                     initializer=keras.initializers.Constant(self.initial_scale))

    def call(self, inputs):
        return keras.ops.tanh(inputs) * self.scale

    def get_config(self):
        return {**super().get_config(), "initial_scale": self.initial_scale}


@keras.saving.register_keras_serializable(package="portable")
def mean_half_squared_error(y_true, y_pred):
    return 0.5 * keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)


def build_portable():
    return keras.Sequential([
        keras.Input(shape=(3,), name="features"),
        keras.layers.Dense(4, name="hidden"),
        ScaledTanh(2.0, name="scaled_tanh"),
        keras.layers.Dense(1, name="out"),
    ], name="portable")


rng = np.random.default_rng(0)  # NumPy draws the same numbers on every backend
features = rng.normal(size=(32, 3)).astype("float32")
targets = features @ np.array([[0.5], [-1.0], [2.0]], dtype="float32")
# --8<-- [end:portable_objects]

# --8<-- [start:portable_save]
portable = build_portable()
for dense in (portable.layers[0], portable.layers[2]):  # starting weights from NumPy too
    dense.set_weights([rng.normal(size=w.shape).astype("float32") * 0.5 for w in dense.get_weights()])
portable.compile(optimizer=keras.optimizers.Adam(0.01), loss=mean_half_squared_error)
portable.fit(features, targets, epochs=2, batch_size=8, shuffle=False, verbose=0)
portable.save("portable.keras")
print(keras.backend.backend(), keras.ops.convert_to_numpy(portable(features[:3])).round(4).ravel())
# --8<-- [end:portable_save]

# --8<-- [start:portable_load]
reloaded = keras.saving.load_model("portable.keras")  # (1)!
print(keras.backend.backend(), keras.ops.convert_to_numpy(reloaded(features[:3])).round(4).ravel())
print("same config:", json.dumps(reloaded.get_config()) == json.dumps(build_portable().get_config()))
reloaded.fit(features, targets, epochs=1, batch_size=8, shuffle=False, verbose=0)
print("optimizer steps:", int(keras.ops.convert_to_numpy(reloaded.optimizer.iterations)))  # (2)!
# --8<-- [end:portable_load]

# --8<-- [start:export]
model.export("exported_model", verbose=False)  # (1)!
print(sorted(os.listdir("exported_model")))

serving = keras.layers.TFSMLayer("exported_model", call_endpoint="serve")  # (2)!
served = keras.ops.convert_to_numpy(serving(x))
print(np.allclose(model.predict(x, verbose=0), served))

signature = keras.layers.TFSMLayer("exported_model", call_endpoint="serving_default")  # (3)!
print(sorted(signature(x)))
# --8<-- [end:export]

# --8<-- [start:export_fine_tune]
tunable = keras.Sequential([keras.Input(shape=(3,)), keras.layers.TFSMLayer("exported_model")])
print("trainable weights:", len(tunable.trainable_weights))  # (1)!
tunable.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
history = tunable.fit(x, y, epochs=3, verbose=0)
print("loss per epoch:", [round(loss, 4) for loss in history.history["loss"]])
print(np.allclose(model.predict(x, verbose=0), tunable.predict(x, verbose=0)))  # (2)!
# --8<-- [end:export_fine_tune]

try:
    # --8<-- [start:save_dir]
    model.save("my_model")
    # --8<-- [end:save_dir]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

# Troubleshooting: each error a reader may paste into a search box.

try:
    # --8<-- [start:error_locate_class]
    keras.models.load_model("shifted.keras")
    # --8<-- [end:error_locate_class]
except TypeError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:fix_locate_class]
@keras.saving.register_keras_serializable(package="keras_hooks")  # (1)!
class Offset(keras.layers.Layer):
    def __init__(self, offset=1.0, **kwargs):
        super().__init__(**kwargs)
        self.offset = offset

    def call(self, inputs):
        return inputs + self.offset

    def get_config(self):
        return {**super().get_config(), "offset": self.offset}


registered_offset = keras.Sequential([keras.Input(shape=(3,)), Offset(0.5)])
registered_offset.save("registered_offset.keras")
restored = keras.models.load_model("registered_offset.keras")
print(np.allclose(registered_offset.predict(x, verbose=0), restored.predict(x, verbose=0)), restored.layers[0].offset)
print("same config:", as_saved(restored.get_config()) == as_saved(registered_offset.get_config()))
# --8<-- [end:fix_locate_class]

try:
    # --8<-- [start:error_locate_function]
    keras.models.load_model("shifted.keras", custom_objects={"Offset": Offset})
    # --8<-- [end:error_locate_function]
except TypeError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:fix_locate_function]
inference_only = keras.models.load_model(
    "shifted.keras", custom_objects={"Offset": Offset}, compile=False  # (1)!
)
print(inference_only.compiled)
print(np.allclose(shifted.predict(x, verbose=0), inference_only.predict(x, verbose=0)))
print("same config:", as_saved(inference_only.get_config()) == as_saved(shifted.get_config()))  # (2)!
# --8<-- [end:fix_locate_function]

try:
    # --8<-- [start:error_unexpected_name]
    class Shift(keras.layers.Layer):
        def __init__(self, shift=1.0):  # no **kwargs
            super().__init__()
            self.shift = shift

        def call(self, inputs):
            return inputs + self.shift

        def get_config(self):
            return {**super().get_config(), "shift": self.shift}

    keras.Sequential([keras.Input(shape=(3,)), Shift(0.5)]).save("shift.keras")
    keras.models.load_model("shift.keras", custom_objects={"Shift": Shift})
    # --8<-- [end:error_unexpected_name]
except TypeError as error:
    print(f"{type(error).__name__}: {error}")


# --8<-- [start:fix_unexpected_name]
class Shift(keras.layers.Layer):
    def __init__(self, shift=1.0, **kwargs):
        super().__init__(**kwargs)  # (1)!
        self.shift = shift

    def call(self, inputs):
        return inputs + self.shift

    def get_config(self):
        return {**super().get_config(), "shift": self.shift}


shift_model = keras.Sequential([keras.Input(shape=(3,)), Shift(0.5)])
shift_model.save("shift.keras")
restored = keras.models.load_model("shift.keras", custom_objects={"Shift": Shift})
print(np.allclose(shift_model.predict(x, verbose=0), restored.predict(x, verbose=0)), restored.layers[0].shift)
print("adds the shift:", np.allclose(restored.predict(x, verbose=0), x + 0.5))
print("same config:", as_saved(restored.get_config()) == as_saved(shift_model.get_config()))
# --8<-- [end:fix_unexpected_name]

try:
    # --8<-- [start:error_tracked_dict]
    class PlainResidual(keras.layers.Layer):  # like Residual, without from_config
        def __init__(self, inner, **kwargs):
            super().__init__(**kwargs)
            self.inner = inner

        def call(self, inputs):
            return inputs + self.inner(inputs)

        def get_config(self):
            return {**super().get_config(), "inner": self.inner}

    plain = PlainResidual(keras.layers.Dense(3), name="plain")
    keras.Sequential([keras.Input(shape=(3,)), plain]).save("plain.keras")
    keras.models.load_model("plain.keras", custom_objects={"PlainResidual": PlainResidual})
    # --8<-- [end:error_tracked_dict]
except TypeError as error:
    print(f"{type(error).__name__}: {error}")

try:
    # --8<-- [start:error_no_attribute]
    class PlainEmbedding(CategoryEmbedding):  # like CategoryEmbedding, without the build config
        def get_build_config(self):
            return keras.layers.Layer.get_build_config(self)

        def build_from_config(self, config):
            return keras.layers.Layer.build_from_config(self, config)

    plain_embedding = PlainEmbedding(dim=2, name="plain_categories")
    plain_embedding.adapt(np.array([0, 3, 1, 4, 2]))
    plain_lookup = keras.Sequential([keras.Input(shape=(1,), dtype="int32"), plain_embedding])
    plain_lookup.save("plain_lookup.keras")
    keras.models.load_model("plain_lookup.keras", custom_objects={"PlainEmbedding": PlainEmbedding})
    # --8<-- [end:error_no_attribute]
except (AttributeError, TypeError) as error:
    print(f"{type(error).__name__}: {error}")

try:
    # --8<-- [start:error_subclassed_model]
    class TwoLayers(keras.Model):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.hidden = keras.layers.Dense(units)
            self.out = keras.layers.Dense(1)

        def call(self, inputs):
            return self.out(self.hidden(inputs))

    two_layers = TwoLayers(4)
    two_layers(x)
    two_layers.save("two_layers.keras")
    # --8<-- [end:error_subclassed_model]
except NotImplementedError as error:
    print(f"{type(error).__name__}: {error}")


# --8<-- [start:fix_subclassed_model]
@keras.saving.register_keras_serializable(package="keras_hooks")
class TwoLayers(keras.Model):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = keras.layers.Dense(units)
        self.out = keras.layers.Dense(1)

    def call(self, inputs):
        return self.out(self.hidden(inputs))

    def get_config(self):
        return {**super().get_config(), "units": self.units}


two_layers = TwoLayers(4)
two_layers(x)
two_layers.save("two_layers.keras")
restored = keras.models.load_model("two_layers.keras")
print(np.allclose(two_layers.predict(x, verbose=0), restored.predict(x, verbose=0)), restored.units)
print("same config:", as_saved(restored.get_config()) == as_saved(two_layers.get_config()))
# --8<-- [end:fix_subclassed_model]

try:
    # --8<-- [start:error_regularizer_config]
    class SmallWeights(keras.regularizers.Regularizer):
        def __init__(self, factor=0.01):
            self.factor = factor

        def __call__(self, weight):
            return self.factor * keras.ops.sum(keras.ops.square(weight))

    dense = keras.layers.Dense(1, kernel_regularizer=SmallWeights(0.1))
    regularized = keras.Sequential([keras.Input(shape=(3,)), dense])
    regularized.save("regularized.keras")
    # --8<-- [end:error_regularizer_config]
except NotImplementedError as error:
    print(f"{type(error).__name__}: {error}")


# --8<-- [start:fix_regularizer_config]
class SmallWeights(keras.regularizers.Regularizer):
    def __init__(self, factor=0.01):
        self.factor = factor

    def __call__(self, weight):
        return self.factor * keras.ops.sum(keras.ops.square(weight))

    def get_config(self):
        return {"factor": self.factor}


dense = keras.layers.Dense(1, kernel_regularizer=SmallWeights(0.1))
regularized = keras.Sequential([keras.Input(shape=(3,)), dense])
regularized.save("regularized.keras")
restored = keras.models.load_model(
    "regularized.keras", custom_objects={"SmallWeights": SmallWeights}
)
print(restored.layers[0].kernel_regularizer.factor)
print(np.allclose(regularized.predict(x, verbose=0), restored.predict(x, verbose=0)))
print("same config:", as_saved(restored.get_config()) == as_saved(regularized.get_config()))
# --8<-- [end:fix_regularizer_config]

try:
    # --8<-- [start:error_file_format]
    keras.models.load_model("exported_model")
    # --8<-- [end:error_file_format]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

try:
    # --8<-- [start:error_weights_name]
    model.save_weights("model_weights")
    # --8<-- [end:error_weights_name]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:fix_weights_name]
model.save_weights("model.weights.h5")
fresh = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(4), keras.layers.Dense(1)])
fresh.load_weights("model.weights.h5")  # (1)!
print(np.allclose(model.predict(x, verbose=0), fresh.predict(x, verbose=0)))
# --8<-- [end:fix_weights_name]
