"""Claim checks for docs/<lang>/saving-and-migrating/saving.md."""

import io
import json
import os
import warnings
import zipfile

import h5py
import numpy as np
import keras
import pytest
import tensorflow as tf
from keras.src.backend.common import global_state

from tests.harness import backends


def data(rows=8):
    keras.utils.set_random_seed(0)
    x = np.random.rand(rows, 3).astype("float32")
    return x, x.sum(axis=1, keepdims=True)


class Offset(keras.layers.Layer):  # never registered
    def __init__(self, offset=1.0, **kwargs):
        super().__init__(**kwargs)
        self.offset = offset

    def call(self, inputs):
        return inputs + self.offset

    def get_config(self):
        return {**super().get_config(), "offset": self.offset}


def mean_abs_error(y_true, y_pred):  # never registered
    return keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1)


def dense_model():
    return keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])


@pytest.mark.claim("weights-file-skips-metric-state")
def test_weights_file_holds_layers_and_optimizer_but_not_metrics(tmp_path):
    x, y = data()
    model = dense_model()
    model.compile(optimizer="adam", loss="mse", metrics=["mae"], run_eagerly=True)
    model.train_on_batch(x, y)
    assert all(float(v) > 0 for v in model.metrics_variables)
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        weights = h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r")
        names = []
        weights.visit(names.append)
    assert sorted(weights) == ["layers", "optimizer", "vars"]
    assert "layers/dense/vars/0" in names and "optimizer/vars/0" in names
    assert not [name for name in names if "metric" in name or "mean" in name]
    restored = keras.models.load_model(tmp_path / "m.keras")
    assert restored.metrics_variables and all(float(v) == 0 for v in restored.metrics_variables)


@pytest.mark.claim("registered-name-defaults-to-class-name")
def test_registered_name_defaults_to_class_name():
    @keras.saving.register_keras_serializable(package="claims_saving")
    class Doubler(keras.layers.Layer):
        pass

    assert keras.saving.get_registered_name(Doubler) == "claims_saving>Doubler"


@pytest.mark.claim("registry-filled-when-decorator-runs")
def test_registry_is_filled_when_the_decorator_runs():
    name = "claims_saving>LateLayer"
    assert keras.saving.get_registered_object(name) is None

    class LateLayer(keras.layers.Layer):
        pass

    assert keras.saving.get_registered_object(name) is None
    keras.saving.register_keras_serializable(package="claims_saving")(LateLayer)
    assert keras.saving.get_registered_object(name) is LateLayer


@pytest.mark.claim("unregistered-stored-under-bare-name")
def test_unregistered_objects_are_stored_under_their_bare_names():
    layer_entry = keras.saving.serialize_keras_object(Offset(0.5))
    assert layer_entry["class_name"] == "Offset"
    assert layer_entry["registered_name"] == "Offset"
    model = dense_model()
    model.compile(optimizer="sgd", loss=mean_abs_error)
    assert model.get_compile_config()["loss"]["config"] == "mean_abs_error"


@pytest.mark.claim("scope-covers-every-deserialization")
def test_scope_serves_any_deserialization_call():
    entry = keras.saving.serialize_keras_object(Offset(0.5))
    with pytest.raises(TypeError, match="Could not locate class 'Offset'"):
        keras.saving.deserialize_keras_object(entry)
    with keras.saving.custom_object_scope({"Offset": Offset}):
        layer = keras.saving.deserialize_keras_object(entry)
    assert type(layer) is Offset and layer.offset == 0.5


@pytest.mark.claim("clone-model-needs-scope-only-for-compile-config")
def test_clone_model_needs_scope_only_for_the_compile_config():
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1), Offset(0.5)])
    clone = keras.models.clone_model(model)  # no scope, Offset unregistered
    assert type(clone.layers[-1]) is Offset and clone.layers[-1].offset == 0.5
    model.compile(optimizer="sgd", loss=mean_abs_error)
    with pytest.raises(TypeError, match="Could not locate function 'mean_abs_error'"):
        keras.models.clone_model(model)
    with keras.saving.custom_object_scope({"mean_abs_error": mean_abs_error}):
        clone = keras.models.clone_model(model)
    assert clone.loss is mean_abs_error


@pytest.mark.claim("default-from-config-calls-constructor")
def test_default_from_config_passes_the_config_to_the_constructor():
    received = {}

    class Recorder(keras.layers.Layer):
        def __init__(self, factor=1.0, **kwargs):
            received.update(factor=factor, **kwargs)
            super().__init__(**kwargs)

    layer = Recorder.from_config({"factor": 3.0, "name": "rec"})
    assert received == {"factor": 3.0, "name": "rec"} and layer.name == "rec"
    with pytest.raises(TypeError, match="Unrecognized keyword arguments passed to Recorder"):
        Recorder.from_config({"factor": 3.0, "extra": 1})


EVENTS = []


class Logged(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        EVENTS.append("init")

    def build(self, input_shape):
        EVENTS.append(f"build {tuple(input_shape)}")
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")

    def call(self, inputs):
        return inputs * self.w

    def load_own_variables(self, store):
        EVENTS.append("load weights")
        super().load_own_variables(store)


@pytest.mark.claim("load-builds-then-loads-weights", "default-build-config-is-input-shape")
def test_loading_creates_then_builds_from_the_input_shape_then_loads(tmp_path):
    layer = Logged()
    model = keras.Sequential([keras.Input(shape=(3,)), layer])
    assert layer.get_build_config() == {"input_shape": (None, 3)}
    model.save(tmp_path / "logged.keras")
    EVENTS.clear()
    keras.models.load_model(tmp_path / "logged.keras", custom_objects={"Logged": Logged})
    assert EVENTS == ["init", "build (None, 3)", "load weights"]


@pytest.mark.claim("build-from-config-replaces-build")
def test_build_from_config_runs_instead_of_build_and_before_the_weights(tmp_path):
    class FromConfig(Logged):
        def get_build_config(self):
            return {"size": int(self.w.shape[0])}

        def build_from_config(self, config):
            EVENTS.append(f"build_from_config {config}")
            self.w = self.add_weight(shape=(config["size"],), initializer="ones")
            self.built = True

    model = keras.Sequential([keras.Input(shape=(3,)), FromConfig()])
    model.save(tmp_path / "from_config.keras")
    EVENTS.clear()
    keras.models.load_model(tmp_path / "from_config.keras", custom_objects={"FromConfig": FromConfig})
    assert EVENTS == ["init", "build_from_config {'size': 3}", "load weights"]


@pytest.mark.claim("unsafe-deserialization-process-wide")
def test_enable_unsafe_deserialization_lifts_safe_mode_for_every_call(tmp_path):
    x, _ = data()
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Lambda(lambda t: t * 2.0)])
    model.save(tmp_path / "lambda.keras")
    with pytest.raises(ValueError, match="whose `function` is a Python lambda"):
        keras.models.load_model(tmp_path / "lambda.keras")
    try:
        keras.config.enable_unsafe_deserialization()
        first = keras.models.load_model(tmp_path / "lambda.keras")
        second = keras.models.load_model(tmp_path / "lambda.keras")
    finally:
        global_state.set_global_attribute("safe_mode_saving", None)
    np.testing.assert_allclose(first(x), x * 2.0)
    np.testing.assert_allclose(second(x), x * 2.0)
    with pytest.raises(ValueError, match="whose `function` is a Python lambda"):
        keras.models.load_model(tmp_path / "lambda.keras")


@pytest.mark.claim("export-writes-serve-endpoint")
def test_export_writes_the_serve_endpoint_and_its_signature(tmp_path):
    dense_model().export(str(tmp_path / "exported"), verbose=False)
    reloaded = tf.saved_model.load(str(tmp_path / "exported"))
    assert callable(reloaded.serve)
    assert sorted(reloaded.signatures) == ["serve", "serving_default"]


@pytest.mark.claim("exported-model-runs-without-python-call")
def test_exported_model_does_not_run_the_python_call(tmp_path):
    calls = []

    class Counted(keras.layers.Layer):
        def call(self, inputs):
            calls.append(1)
            return inputs * 3.0

    x, _ = data()
    model = keras.Sequential([keras.Input(shape=(3,)), Counted()])
    model.export(str(tmp_path / "exported"), verbose=False)
    calls.clear()
    served = keras.layers.TFSMLayer(str(tmp_path / "exported"))(x)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(served), x * 3.0, rtol=1e-6)
    assert calls == []
    model(x)
    assert calls == [1]


@pytest.mark.claim("tfsm-layer-trains-through-serve")
def test_tfsm_layer_runs_serve_even_when_training(tmp_path):
    x, _ = data()
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dropout(0.5)])
    model.export(str(tmp_path / "exported"), verbose=False)
    layer = keras.layers.TFSMLayer(str(tmp_path / "exported"))
    assert layer.trainable and layer.call_training_endpoint is None
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(x, training=True)), x)
    assert not np.allclose(keras.ops.convert_to_numpy(model(x, training=True)), x)


@pytest.mark.claim("registering-later-keeps-old-file-name")
def test_registering_after_saving_does_not_rescue_the_old_file(tmp_path):
    class Unregistered(Offset):
        pass

    keras.Sequential([keras.Input(shape=(3,)), Unregistered()]).save(tmp_path / "old.keras")
    keras.saving.register_keras_serializable(package="claims_saving")(Unregistered)
    with pytest.raises(TypeError, match="Could not locate class 'Unregistered'"):
        keras.models.load_model(tmp_path / "old.keras")


@pytest.mark.claim("regularizer-outside-config-saves")
def test_regularizer_kept_out_of_the_config_needs_no_get_config(tmp_path):
    class NoConfig(keras.regularizers.Regularizer):
        def __call__(self, weight):
            return 0.5 * keras.ops.sum(keras.ops.abs(weight))

    class Gate(keras.layers.Layer):
        def build(self, input_shape):
            self.gate = self.add_weight(
                shape=(input_shape[-1],), initializer="ones", regularizer=NoConfig()
            )

        def call(self, inputs):
            return inputs * self.gate

    with pytest.raises(NotImplementedError, match="does not implement get_config"):
        NoConfig().get_config()
    model = keras.Sequential([keras.Input(shape=(3,)), Gate()])
    model.save(tmp_path / "gate.keras")
    restored = keras.models.load_model(tmp_path / "gate.keras", custom_objects={"Gate": Gate})
    assert [float(loss) for loss in restored.losses] == [1.5]


@pytest.mark.claim("save-unzipped-directory")
def test_unzipped_save_writes_a_directory_without_extension(tmp_path):
    x, _ = data()
    model = dense_model()
    model.save(tmp_path / "my_model", zipped=False)
    assert (tmp_path / "my_model").is_dir()
    assert {"config.json", "metadata.json", "model.weights.h5"} <= set(os.listdir(tmp_path / "my_model"))
    np.testing.assert_allclose(keras.models.load_model(tmp_path / "my_model")(x), model(x))


@pytest.mark.claim("load-model-formats")
def test_load_model_reads_keras_h5_and_directories_but_not_savedmodel(tmp_path):
    x, _ = data()
    model = dense_model()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.save(tmp_path / "legacy.h5")
    model.save(tmp_path / "directory", zipped=False)
    for path in ("legacy.h5", "directory"):
        np.testing.assert_allclose(keras.models.load_model(tmp_path / path)(x), model(x))
    model.export(str(tmp_path / "exported"), verbose=False)
    with pytest.raises(ValueError, match="File format not supported"):
        keras.models.load_model(tmp_path / "exported")


@pytest.mark.claim("weights-file-needs-same-architecture")
def test_weights_file_needs_the_same_architecture(tmp_path):
    model = dense_model()
    model.save_weights(tmp_path / "m.weights.h5")
    wider = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="must match"):
        wider.load_weights(tmp_path / "m.weights.h5")


@pytest.mark.claim("keras-file-is-zip", "config-json-keys", "metadata-json-keys")
def test_keras_file_is_a_zip_with_config_metadata_and_weights(tmp_path):
    model = dense_model()
    model.compile(optimizer="sgd", loss="mse")
    model.save(tmp_path / "m.keras")
    assert zipfile.is_zipfile(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        assert sorted(archive.namelist()) == ["config.json", "metadata.json", "model.weights.h5"]
        config = json.loads(archive.read("config.json"))
        metadata = json.loads(archive.read("metadata.json"))
    assert {"class_name", "config", "build_config", "compile_config", "registered_name"} <= set(config)
    assert config["compile_config"]["loss"] == "mse"
    assert config["build_config"] == {"input_shape": [None, 3]}
    assert sorted(metadata) == ["date_saved", "keras_version"]
    assert metadata["keras_version"] == keras.__version__


@pytest.mark.claim("save-keeps-optimizer-state", "optimizer-iterations-restored")
def test_save_keeps_compile_settings_and_optimizer_state(tmp_path):
    x, y = data()
    model = dense_model()
    model.compile(optimizer="adam", loss="mae", run_eagerly=True)
    model.train_on_batch(x, y)
    model.train_on_batch(x, y)
    model.save(tmp_path / "m.keras")
    restored = keras.models.load_model(tmp_path / "m.keras")
    assert int(restored.optimizer.iterations) == 2
    assert restored.loss == "mae" and type(restored.optimizer) is keras.optimizers.Adam
    for saved, loaded in zip(model.optimizer.variables, restored.optimizer.variables):
        np.testing.assert_allclose(saved, loaded)
    np.testing.assert_allclose(model(x), restored(x))


@pytest.mark.claim("function-registered-under-own-name", "registered-objects-load-without-custom-objects")
def test_registered_objects_load_by_their_registered_names(tmp_path):
    @keras.saving.register_keras_serializable(package="claims_saving")
    def claims_half_error(y_true, y_pred):
        return 0.5 * keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1)

    @keras.saving.register_keras_serializable(package="claims_saving")
    class ClaimsOffset(Offset):
        pass

    assert keras.saving.get_registered_name(claims_half_error) == "claims_saving>claims_half_error"
    model = keras.Sequential([keras.Input(shape=(3,)), ClaimsOffset(2.0)])
    model.compile(optimizer="sgd", loss=claims_half_error)
    model.save(tmp_path / "m.keras")
    restored = keras.models.load_model(tmp_path / "m.keras")
    assert type(restored.layers[0]) is ClaimsOffset and restored.loss is claims_half_error


@pytest.mark.claim("scope-serves-load-model")
def test_scope_serves_load_model(tmp_path):
    model = keras.Sequential([keras.Input(shape=(3,)), Offset(0.5)])
    model.save(tmp_path / "m.keras")
    with pytest.raises(TypeError, match="Could not locate class 'Offset'"):
        keras.models.load_model(tmp_path / "m.keras")
    with keras.saving.custom_object_scope({"Offset": Offset}):
        restored = keras.models.load_model(tmp_path / "m.keras")
    assert type(restored.layers[0]) is Offset


@pytest.mark.claim("nested-layer-config-is-dict")
def test_a_nested_layer_reaches_the_constructor_as_a_dict():
    received = {}

    class Wrapper(keras.layers.Layer):
        def __init__(self, inner, **kwargs):
            super().__init__(**kwargs)
            received["inner"] = inner
            self.inner = inner

        def get_config(self):
            return {**super().get_config(), "inner": self.inner}

    entry = keras.saving.serialize_keras_object(Wrapper(keras.layers.Dense(2)))
    assert isinstance(entry["config"]["inner"], dict)
    Wrapper.from_config(entry["config"])
    assert isinstance(received["inner"], dict) and received["inner"]["class_name"] == "Dense"


@pytest.mark.claim("registered-function-passes-safe-mode")
def test_registered_function_is_stored_by_name_and_loads_in_safe_mode(tmp_path):
    @keras.saving.register_keras_serializable(package="claims_saving")
    def claims_triple(t):
        return t * 3.0

    x, _ = data()
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Lambda(claims_triple)])
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        function = json.loads(archive.read("config.json"))["config"]["layers"][1]["config"]["function"]
    assert function["class_name"] == "function"
    assert function["config"] == "claims_saving>claims_triple"
    np.testing.assert_allclose(keras.models.load_model(tmp_path / "m.keras", safe_mode=True)(x), x * 3.0)


@pytest.mark.claim("tfsm-layer-matches-model", "serve-returns-tensor", "serving-default-returns-dict")
def test_tfsm_layer_endpoints(tmp_path):
    x, _ = data()
    model = dense_model()
    model.export(str(tmp_path / "exported"), verbose=False)
    served = keras.layers.TFSMLayer(str(tmp_path / "exported"), call_endpoint="serve")(x)
    assert isinstance(served, tf.Tensor)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(served), model(x), rtol=1e-6)
    signature = keras.layers.TFSMLayer(str(tmp_path / "exported"), call_endpoint="serving_default")
    assert list(signature(x)) == ["output_0"]


@pytest.mark.claim("tfsm-layer-fine-tunes", "tfsm-layer-trainable-false-freezes", "tfsm-layer-trains-its-own-copy")
def test_fit_updates_the_variables_of_a_tfsm_layer(tmp_path):
    x, y = data()
    model = dense_model()
    model.export(str(tmp_path / "exported"), verbose=False)
    layer = keras.layers.TFSMLayer(str(tmp_path / "exported"))
    assert layer.trainable and len(layer.trainable_weights) == 2
    frozen = keras.layers.TFSMLayer(str(tmp_path / "exported"), trainable=False)
    assert frozen.trainable_weights == [] and len(frozen.weights) == 2
    original = [np.array(w) for w in model.get_weights()]
    tunable = keras.Sequential([keras.Input(shape=(3,)), layer])
    tunable.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", run_eagerly=True)
    before = float(tunable.evaluate(x, y, verbose=0))
    for _ in range(3):
        tunable.train_on_batch(x, y)
    assert float(tunable.evaluate(x, y, verbose=0)) < before
    assert not np.allclose(keras.ops.convert_to_numpy(tunable(x)), model(x))
    for kept, now in zip(original, model.get_weights()):
        np.testing.assert_array_equal(kept, now)


@pytest.mark.claim("compile-false-loads-uncompiled")
def test_compile_false_loads_without_loss_or_optimizer(tmp_path):
    model = dense_model()
    model.compile(optimizer="adam", loss=mean_abs_error)
    model.save(tmp_path / "m.keras")
    restored = keras.models.load_model(tmp_path / "m.keras", compile=False)
    assert restored.compiled is False and getattr(restored, "optimizer", None) is None
    assert getattr(restored, "loss", None) is None


def _as_saved(config):
    return json.loads(json.dumps(config))


def _config_differences(a, b, path=""):
    if isinstance(a, dict) and isinstance(b, dict) and set(a) == set(b):
        return [d for key in a for d in _config_differences(a[key], b[key], f"{path}/{key}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (p, q) in enumerate(zip(a, b))
                for d in _config_differences(p, q, f"{path}[{i}]")]
    return [] if a == b and type(a) is type(b) else [path]


@pytest.mark.claim("keras-file-tuples-become-lists")
def test_reloaded_config_differs_only_by_tuples_becoming_lists(tmp_path):
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(4), keras.layers.Dense(1)])
    model.save(tmp_path / "m.keras")
    restored = keras.models.load_model(tmp_path / "m.keras")
    before, after = model.get_config(), restored.get_config()
    assert before["layers"][1]["build_config"]["input_shape"] == (None, 3)
    assert after["layers"][1]["build_config"]["input_shape"] == [None, 3]
    assert before != after
    assert _as_saved(before) == _as_saved(after)


@pytest.mark.claim("reloaded-lambda-bytecode-differs")
def test_reloaded_lambda_config_differs_only_in_its_bytecode(tmp_path):
    doubler = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Lambda(lambda t: t * 2.0)])
    doubler.save(tmp_path / "d.keras")
    restored = keras.models.load_model(tmp_path / "d.keras", safe_mode=False)
    differences = _config_differences(_as_saved(doubler.get_config()),
                                      _as_saved(restored.get_config()))
    assert differences == ["/layers[1]/config/function/config/code"]


@pytest.mark.claim("registered-class-config-names-package")
def test_registered_class_records_its_registered_name(tmp_path):
    shifted = keras.Sequential([keras.Input(shape=(3,)), Offset(0.5)])
    shifted.save(tmp_path / "s.keras")

    registered = keras.saving.register_keras_serializable(package="claims_saving_registered")(
        type("Offset", (Offset,), {}))
    restored = keras.models.load_model(tmp_path / "s.keras", custom_objects={"Offset": registered})
    differences = _config_differences(_as_saved(shifted.get_config()),
                                      _as_saved(restored.get_config()))
    assert differences == ["/layers[1]/registered_name"]
    assert restored.get_config()["layers"][1]["registered_name"] == "claims_saving_registered>Offset"
    assert shifted.get_config()["layers"][1]["registered_name"] == "Offset"


def _shown_code(*names: str) -> str:
    """The page's own code: these sections of the snippet module, as the page includes them."""
    from tests.harness import example_checks, snippet_usage
    from tools import site_config

    module = site_config.ROOT / "snippets" / "saving_and_migrating" / "saving.py"
    lines = module.read_text(encoding="utf-8").splitlines()
    ranges = example_checks.section_ranges(module, "snippets/saving_and_migrating/saving.py")
    return "\n".join(line for name in names for line in lines[ranges[name].start:ranges[name].end - 1]
                     if not snippet_usage.SECTION.match(line)) + "\n"


@pytest.mark.claim("keras-file-loads-on-every-backend")
@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_a_keras_file_saved_on_tensorflow_loads_and_trains_on(backend, tmp_path):
    """The page's blocks, saved on TensorFlow, loaded in a new process on `backend` (its
    environment is made on first use: tools/keras_envs.py)."""
    saved, loaded = backends.run([
        (_shown_code("imports", "portable_objects", "portable_save", "portable_load"), "tensorflow"),
        (_shown_code("imports", "portable_objects", "portable_load"), backend)], tmp_path)
    assert saved[0].startswith("tensorflow [") and saved[0] == saved[1]
    assert loaded == [saved[1].replace("tensorflow", backend, 1), *saved[2:]] == [
        f"{backend} [0.3423 0.3167 0.921 ]", "same config: True", "optimizer steps: 12"]
