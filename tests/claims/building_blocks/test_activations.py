"""Claim checks for docs/<lang>/building-blocks/activations.md."""

import json
import zipfile

import numpy as np
import tensorflow as tf
import keras
import pytest

CALLED = []


def counted(z):
    CALLED.append(1)
    return keras.ops.log(1.0 + keras.ops.exp(z))


@keras.saving.register_keras_serializable(package="claims_activations")
def registered_softplus(z):
    return keras.ops.softplus(z)


def unregistered_softplus(z):
    return keras.ops.softplus(z)


X = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")


def saved_config(model, path):
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("config.json"))


@pytest.mark.claim("activation-runs-in-fit-evaluate-predict-and-call", "plain-function-works-as-activation")
def test_activation_runs_in_every_kind_of_call():
    keras.utils.set_random_seed(0)
    layer = keras.layers.Dense(2, activation=counted)
    model = keras.Sequential([keras.Input((3,)), layer])
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    y = np.zeros((4, 2), "float32")
    counts = []
    for run in (lambda: model.fit(X, y, batch_size=4, verbose=0),
                lambda: model.evaluate(X, y, batch_size=4, verbose=0),
                lambda: model.predict(X, batch_size=4, verbose=0),
                lambda: layer(X)):
        CALLED.clear()
        run()
        counts.append(len(CALLED))
    assert counts == [1, 1, 1, 1]


@pytest.mark.claim("dense-stores-activation-function", "dense-output-is-activation-of-affine")
def test_dense_stores_the_function_and_applies_it_last():
    layer = keras.layers.Dense(2, activation=counted)
    outputs = keras.ops.convert_to_numpy(layer(X))
    assert layer.activation is counted
    kernel, bias = (keras.ops.convert_to_numpy(w) for w in layer.weights)
    np.testing.assert_allclose(outputs, np.log1p(np.exp(X @ kernel + bias)), rtol=1e-6)


@pytest.mark.claim("activation-layer-has-no-weights", "activation-layer-matches-dense-activation")
def test_activation_layer_has_no_weights_and_matches_dense():
    dense = keras.layers.Dense(2, activation=counted)
    dense(X)
    linear = keras.layers.Dense(2)
    linear.build((None, 3))
    linear.set_weights(dense.get_weights())
    activation = keras.layers.Activation(counted)
    outputs = activation(linear(X))
    assert activation.weights == []
    np.testing.assert_allclose(keras.ops.convert_to_numpy(outputs), keras.ops.convert_to_numpy(dense(X)))


@pytest.mark.claim("float32-softplus-overflows-past-88-7")
def test_naive_softplus_overflows_just_past_88_7():
    below, above = np.float32(88.7), np.float32(88.8)
    assert np.isfinite(keras.ops.convert_to_numpy(keras.ops.exp(below)))
    assert np.isinf(keras.ops.convert_to_numpy(keras.ops.exp(above)))
    z = tf.Variable(np.array([88.8], "float32"))
    with tf.GradientTape() as tape:
        value = keras.ops.sum(counted(z))
    assert np.isinf(float(value))
    assert np.isnan(tape.gradient(value, z).numpy()[0])


@pytest.mark.claim("nan-gradient-makes-weights-nan")
def test_optimizer_step_with_a_nan_gradient_makes_the_weight_nan():
    weight = keras.Variable(np.array([1.0, 2.0], "float32"))
    keras.optimizers.SGD(0.1).apply_gradients([(np.array([np.nan, 0.0], "float32"), weight)])
    values = keras.ops.convert_to_numpy(weight)
    assert np.isnan(values[0]) and values[1] == 2.0


@pytest.mark.claim("log1p-accurate-for-tiny-values", "naive-softplus-underflows-to-zero")
def test_log1p_keeps_tiny_values_that_one_plus_u_loses():
    tiny = np.float32(1e-9)
    assert np.float32(1.0) + tiny == np.float32(1.0)
    assert float(keras.ops.log1p(tiny)) == pytest.approx(1e-9, rel=1e-6)
    z = np.array([-20.0], "float32")
    assert float(counted(z)[0]) == 0.0
    assert float(keras.ops.softplus(z)[0]) == pytest.approx(np.exp(-20.0), rel=1e-5)


@pytest.mark.claim("builtin-softplus-is-stable")
def test_builtin_softplus_is_stable():
    z = tf.Variable(np.array([-200.0, 90.0, 1000.0], "float32"))
    for softplus in (keras.ops.softplus, keras.activations.softplus):
        with tf.GradientTape() as tape:
            value = softplus(z)
            total = keras.ops.sum(value)
        np.testing.assert_allclose(keras.ops.convert_to_numpy(value), [0.0, 90.0, 1000.0])
        np.testing.assert_allclose(tape.gradient(total, z).numpy(), [0.0, 1.0, 1.0])


@pytest.mark.claim("activation-saved-by-name", "unregistered-activation-saved-under-python-name",
                   "custom-objects-key-is-saved-name")
def test_unregistered_function_is_saved_by_its_python_name(tmp_path):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation=unregistered_softplus)])
    config = saved_config(model, tmp_path / "m.keras")
    assert config["config"]["layers"][1]["config"]["activation"]["config"] == "unregistered_softplus"
    restored = keras.models.load_model(tmp_path / "m.keras", custom_objects={"unregistered_softplus": counted})
    assert restored.layers[0].activation is counted


@pytest.mark.claim("registered-activation-saved-as-package-name", "registered-activation-loads-without-custom-objects")
def test_registered_function_is_saved_and_found_by_its_registered_name(tmp_path):
    assert keras.saving.get_registered_name(registered_softplus) == "claims_activations>registered_softplus"
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation=registered_softplus)])
    config = saved_config(model, tmp_path / "m.keras")
    assert config["config"]["layers"][1]["config"]["activation"]["config"] == "claims_activations>registered_softplus"
    assert keras.models.load_model(tmp_path / "m.keras").layers[0].activation is registered_softplus


@pytest.mark.claim("tf-ops-on-keras-input-keras2-only")
def test_tf_functions_on_symbolic_inputs_work_in_keras2_only():
    import tf_keras

    old_inputs = tf_keras.Input(shape=(3,))
    old_outputs = tf.math.log(1.0 + tf.exp(tf_keras.layers.Dense(2)(old_inputs)))
    assert tf_keras.Model(old_inputs, old_outputs).output_shape == (None, 2)

    inputs = keras.Input(shape=(3,))
    with pytest.raises(ValueError, match="A KerasTensor cannot be used as input to a TensorFlow function"):
        tf.exp(keras.layers.Dense(2)(inputs))


def book_softplus(z):
    return tf.math.log(1.0 + tf.exp(z))


@pytest.mark.claim("activation-layer-runs-tf-function", "dense-accepts-tf-activation-on-input",
                   "keras-ops-accept-keras-tensors")
def test_layers_call_tf_functions_on_real_tensors():
    inputs = keras.Input(shape=(3,))
    via_activation = keras.Model(inputs, keras.layers.Activation(book_softplus)(keras.layers.Dense(2)(inputs)))
    via_dense = keras.Model(inputs, keras.layers.Dense(2, activation=book_softplus)(inputs))
    assert via_activation.predict(X, verbose=0).shape == via_dense.predict(X, verbose=0).shape == (4, 2)
    symbolic = keras.ops.log(1.0 + keras.ops.exp(keras.layers.Dense(2)(inputs)))
    assert type(symbolic).__name__ == "KerasTensor" and tuple(symbolic.shape) == (None, 2)


@pytest.mark.claim("function-config-is-only-its-name", "activation-default-argument-not-saved")
def test_a_function_is_saved_by_name_only_and_loses_its_default(tmp_path):
    def leaky(z, slope=0.3):
        return keras.ops.where(z > 0, z, slope * z)

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation=leaky)])
    config = saved_config(model, tmp_path / "m.keras")
    entry = config["config"]["layers"][1]["config"]["activation"]
    assert entry == {"module": "builtins", "class_name": "function", "config": "leaky", "registered_name": "function"}
    assert "0.3" not in json.dumps(config)
