"""Claim checks for docs/<lang>/common-problems/autograph-in-call.md."""

import numpy as np
import pytest
import tensorflow as tf
import keras


def data():
    x = np.array([[1.0], [2.0], [-3.0], [4.0]], dtype="float32")
    return x, np.abs(x)


def flip_if_negative(inputs):
    if keras.ops.mean(inputs) < 0:
        return -inputs
    return inputs


class FlipIfNegative(keras.layers.Layer):
    def call(self, inputs):
        return flip_if_negative(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape


def model():
    keras.utils.set_random_seed(0)
    built = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1), FlipIfNegative()])
    built.compile(optimizer="sgd", loss="mse")
    return built


@pytest.mark.claim("keras-step-not-converted-by-autograph")
def test_keras_step_not_converted_by_autograph():
    x, y = data()
    # AutoGraph converts the same Python `if` when it is allowed to ...
    converted = tf.function(flip_if_negative, autograph=True)
    assert np.allclose(converted(tf.constant(-x)), x)
    # ... but not inside the training step that fit traces.
    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError, match="Python `bool`"):
        model().fit(x, y, epochs=1, verbose=0)


@pytest.mark.claim("tf-function-around-layer-still-fails")
def test_tf_function_around_layer_still_fails():
    x, _ = data()
    layer = FlipIfNegative()

    @tf.function(autograph=True)
    def apply(inputs):
        return layer(inputs)

    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError, match="Python `bool`"):
        apply(tf.constant(x))


@pytest.mark.claim("evaluate-predict-steps-not-converted")
def test_evaluate_and_predict_fail_too():
    x, y = data()
    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError):
        model().evaluate(x, y, verbose=0)
    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError):
        model().predict(x, verbose=0)


class Noisy(keras.layers.Layer):
    def call(self, inputs, training=None):
        if training:
            return inputs + 1.0
        return inputs


@pytest.mark.claim("python-if-on-python-bool-fine")
def test_python_if_on_training_flag():
    x, y = data()
    keras.utils.set_random_seed(0)
    built = keras.Sequential([keras.Input(shape=(1,)), Noisy()])
    built.compile(optimizer="sgd", loss="mse")
    assert np.isclose(built.evaluate(x, y, verbose=0), np.mean((x - y) ** 2))
    history = built.fit(x, y, epochs=1, verbose=0)
    assert np.isclose(history.history["loss"][0], np.mean((x + 1.0 - y) ** 2))
