"""Claim checks for docs/<lang>/layers-and-models/lambda.md."""

import base64
import marshal
import types

import numpy as np
import keras
import pytest
import tensorflow as tf


def model_with_lambda(function, functional=False, **kwargs):
    keras.utils.set_random_seed(0)
    inputs = keras.Input((3,))
    outputs = keras.layers.Lambda(function, **kwargs)(keras.layers.Dense(2)(inputs))
    return keras.Model(inputs, outputs)


@pytest.mark.claim("lambda-traced-not-called-per-batch")
def test_the_python_function_runs_while_tracing_not_on_every_batch():
    calls = []

    def double(t):
        calls.append(t)
        return t * 2.0

    model = model_with_lambda(double)
    assert len(calls) == 1
    x, y = np.ones((16, 3), "float32"), np.ones((16, 2), "float32")
    model.compile(optimizer="sgd", loss="mse")
    calls.clear()
    model.fit(x, y, batch_size=2, verbose=0)  # 8 batches
    assert 1 <= len(calls) <= 2
    calls.clear()
    model.predict(x, batch_size=2, verbose=0)  # 8 batches
    assert 1 <= len(calls) <= 2
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    calls.clear()
    model.fit(x, y, batch_size=2, verbose=0)  # 8 batches, eagerly
    assert len(calls) == 8


@pytest.mark.claim("lambda-stores-marshal-bytecode", "lambda-bytecode-is-marshal")
def test_a_python_lambda_is_stored_as_marshalled_bytecode():
    layer = keras.layers.Lambda(lambda t: tf.exp(t))
    stored = layer.get_config()["function"]
    assert stored["class_name"] == "__lambda__"
    raw = base64.decodebytes(stored["config"]["code"].encode("ascii"))
    code = marshal.loads(raw)
    assert isinstance(code, types.CodeType)
    assert "tf" in code.co_names


@pytest.mark.claim("lambda-globals-come-from-keras-module")
def test_np_and_keras_are_missing_in_a_restored_lambda(tmp_path):
    x = np.ones((1, 3), "float32")
    for name, function in (("np", lambda t: t * np.float32(2.0)), ("keras", lambda t: keras.ops.exp(t)),
                           ("tf", lambda t: tf.exp(t))):
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((3,)), keras.layers.Lambda(function)])
        model.save(tmp_path / f"{name}.keras")
        restored = keras.models.load_model(tmp_path / f"{name}.keras", safe_mode=False)
        with pytest.raises(NameError, match=f"name '{name}' is not defined"):
            restored(x)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Lambda(lambda t: t * 2.0)])
    model.save(tmp_path / "plain.keras")
    restored = keras.models.load_model(tmp_path / "plain.keras", safe_mode=False)
    assert np.allclose(restored(x), 2.0)


@pytest.mark.claim("functional-lambda-output-shape-then-name-error")
def test_output_shape_lets_the_functional_model_load_then_fails_on_call(tmp_path):
    model_with_lambda(lambda t: tf.exp(t), output_shape=(2,)).save(tmp_path / "f.keras")
    restored = keras.models.load_model(tmp_path / "f.keras", safe_mode=False)
    assert isinstance(restored, keras.Model)
    with pytest.raises(NameError, match="name 'tf' is not defined"):
        restored(np.ones((1, 3), "float32"))


@pytest.mark.claim("ops-saved-as-named-operations")
def test_keras_ops_in_a_functional_model_are_saved_by_name():
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.ops.exp(keras.layers.Dense(2)(inputs)))
    config = model.get_config()
    names = [layer["class_name"] for layer in config["layers"]]
    assert names == ["InputLayer", "Dense", "Exp"]
    assert "__lambda__" not in str(config)


def halve(t):
    return t / 2.0


@pytest.mark.claim("plain-function-stored-by-name")
def test_an_unregistered_function_is_stored_by_name_only():
    stored = keras.layers.Lambda(halve).get_config()["function"]
    assert stored["config"] == "halve"
    assert stored["class_name"] == "function"
    assert "code" not in str(stored)


@keras.saving.register_keras_serializable(package="claims_lambda")
def soft_cap(t):
    return 3.0 * keras.ops.tanh(t / 3.0)


@keras.saving.register_keras_serializable(package="claims_lambda")
class Exp(keras.layers.Layer):
    def call(self, inputs):
        return keras.ops.exp(inputs)


@pytest.mark.claim("lambda-alternatives-reload-safely", "ops-exp-accepts-keras-tensor",
                   "custom-layer-without-args-needs-no-config")
def test_the_three_alternatives_reload_under_safe_mode(tmp_path):
    x = np.array([[0.1, 0.2, 0.3], [1.0, -1.0, 0.5]], dtype="float32")
    inputs = keras.Input((3,))
    hidden = keras.layers.Dense(2)(inputs)
    with pytest.raises(ValueError, match="A KerasTensor cannot be used as input to a TensorFlow function"):
        tf.exp(hidden)
    models = {
        "ops": keras.Model(inputs, keras.ops.exp(hidden)),
        "registered": keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), keras.layers.Lambda(soft_cap)]),
        "layer": keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), Exp()]),
    }
    assert "get_config" not in Exp.__dict__
    rebuilt = Exp.from_config(Exp(name="e").get_config())
    assert type(rebuilt) is Exp and rebuilt.name == "e"
    for name, model in models.items():
        model.save(tmp_path / f"{name}.keras")
        restored = keras.models.load_model(tmp_path / f"{name}.keras")  # default safe_mode
        assert np.allclose(model(x), restored(x)), name


@pytest.mark.claim("registered-lambda-saves-reference", "function-code-not-in-file")
def test_a_registered_function_is_saved_as_a_reference(tmp_path):
    stored = keras.layers.Lambda(soft_cap).get_config()["function"]
    assert stored["config"] == "claims_lambda>soft_cap"
    assert "code" not in str(stored) and "__lambda__" not in str(stored)
    stored = keras.layers.Lambda(halve).get_config()["function"]
    assert "code" not in str(stored)


@pytest.mark.claim("unsafe-reload-config-differs")
def test_a_python_lambda_reloaded_unsafely_has_no_build_shape_and_new_bytecode(tmp_path):
    model = keras.Sequential(
        [keras.Input(shape=(3,)), keras.layers.Dense(2), keras.layers.Lambda(lambda t: tf.exp(t))]
    )
    model.save(tmp_path / "lambda.keras")
    unsafe = keras.models.load_model(tmp_path / "lambda.keras", safe_mode=False)
    original, restored = model.get_config(), unsafe.get_config()
    assert "build_input_shape" in original and "build_input_shape" not in restored
    code = [c["layers"][2]["config"]["function"]["config"]["code"] for c in (original, restored)]
    assert code[0] != code[1]
