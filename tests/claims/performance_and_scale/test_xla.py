"""Claim checks for docs/<lang>/performance-and-scale/xla.md."""

import inspect
import warnings

import numpy as np
import pytest
import tensorflow as tf
import keras
from keras.src.trainers import trainer as base_trainer


def build(*extra, **compile_options):
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((2,)), *extra, keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", **compile_options)
    return model


X = np.linspace(-1, 1, 8, dtype="float32").reshape(4, 2)
Y = X[:, :1]


class StringLayer(keras.layers.Layer):
    def call(self, inputs):
        return tf.strings.to_number(tf.strings.as_string(inputs))


@pytest.mark.claim("jit-compile-wraps-step-function")
def test_fit_evaluate_predict_compile_their_step_with_xla():
    runs = {
        "fit": lambda m: m.fit(X, Y, verbose=0),
        "evaluate": lambda m: m.evaluate(X, Y, verbose=0),
        "predict": lambda m: m.predict(X, verbose=0),
    }
    for name, run in runs.items():
        run(build(StringLayer(), jit_compile=False))  # an ordinary graph accepts string ops
        with pytest.raises(tf.errors.InvalidArgumentError, match="on XLA_CPU_JIT: AsString"):
            run(build(StringLayer(), jit_compile=True))
    assert "jit_compile=self.jit_compile" in inspect.getsource(build()._make_function)


@pytest.mark.claim("jit-auto-resolution-rules")
def test_auto_resolution_rules(monkeypatch):
    assert build().jit_compile is False  # CPU only
    assert build(run_eagerly=True).jit_compile is False
    source = inspect.getsource(base_trainer.Trainer._resolve_auto_jit_compile)
    assert 'device_type != "CPU"' in source and "_distribute_strategy" in source
    assert "model_supports_jit(self)" in source
    # pretend a GPU is visible: "auto" then becomes True, unless a layer opts out
    gpu = tf.config.list_physical_devices("CPU") + [tf.config.PhysicalDevice("/physical_device:GPU:0", "GPU")]
    monkeypatch.setattr(tf.config, "list_physical_devices", lambda *a: gpu)
    assert build().jit_compile is True
    assert build(keras.layers.Hashing(4)).jit_compile is False
    for layer in (keras.layers.StringLookup(vocabulary=["a"]), keras.layers.TextVectorization(),
                  keras.layers.Hashing(4)):
        assert layer.supports_jit is False
    # op determinism cannot be switched off again in a process, so it is read from the source
    assert "is_op_determinism_enabled()" in inspect.getsource(base_trainer.model_supports_jit)


@pytest.mark.claim("xla-error-at-first-call")
def test_unsupported_op_fails_at_first_batch_not_in_compile():
    model = build(StringLayer(), jit_compile=True)  # compile does not complain
    assert model.jit_compile is True
    with pytest.raises(tf.errors.InvalidArgumentError, match="Detected unsupported operations"):
        model.predict(X, verbose=0)


@pytest.mark.claim("jit-true-unsupported-layer-warns")
def test_jit_true_with_unsupported_layer_warns():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = build(keras.layers.Hashing(4), jit_compile=True)
    assert model.jit_compile is False
    assert "Model doesn't support `jit_compile=True`. Proceeding with `jit_compile=False`." in [
        str(w.message) for w in caught]


@pytest.mark.claim("supports-jit-false-turns-auto-off")
def test_own_layer_with_supports_jit_false(monkeypatch):
    class Opaque(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.supports_jit = False

        def call(self, inputs):
            return inputs

    assert keras.layers.Dense(1).supports_jit is True
    gpu = [tf.config.PhysicalDevice("/physical_device:GPU:0", "GPU")]
    monkeypatch.setattr(tf.config, "list_physical_devices", lambda *a: gpu)
    assert build().jit_compile is True
    assert build(Opaque()).jit_compile is False


@pytest.mark.claim("keras2-jit-compile-default")
def test_tf_keras_default_is_none_and_off():
    import tf_keras

    signature = inspect.signature(tf_keras.Model.compile)
    assert signature.parameters["jit_compile"].default is None
    assert inspect.signature(keras.Model.compile).parameters["jit_compile"].default == "auto"
    model = tf_keras.Sequential([tf_keras.Input((2,)), tf_keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    assert not model.jit_compile
