"""Claim checks for docs/<lang>/performance-and-scale/mixed-precision.md."""

import inspect

import numpy as np
import pytest
import tensorflow as tf
import keras


@pytest.fixture
def mixed_float16():
    keras.mixed_precision.set_global_policy("mixed_float16")
    yield
    keras.mixed_precision.set_global_policy("float32")


def dtype_name(value):
    return keras.backend.standardize_dtype(value.dtype)


@pytest.mark.claim("global-policy-applies-to-new-layers")
def test_global_policy_only_for_layers_created_afterwards(mixed_float16):
    keras.mixed_precision.set_global_policy("float32")
    before = keras.layers.Dense(1)
    keras.mixed_precision.set_global_policy("mixed_float16")
    after = keras.layers.Dense(1)
    assert before.dtype_policy.name == "float32" and after.dtype_policy.name == "mixed_float16"
    assert dtype_name(before(np.ones((1, 2), "float32"))) == "float32"


@pytest.mark.claim("autocast-false-keeps-variable-dtype")
def test_autocast_false_weight_read_in_float32(mixed_float16):
    seen = {}

    class Two(keras.layers.Layer):
        def build(self, input_shape):
            self.a = self.add_weight(shape=(2,), initializer="ones")
            self.b = self.add_weight(shape=(2,), initializer="ones", autocast=False)

        def call(self, inputs):
            seen["a"], seen["b"] = dtype_name(self.a), dtype_name(self.b)
            return inputs * self.a

    Two()(np.ones((1, 2), "float32"))
    assert seen == {"a": "float16", "b": "float32"}


@pytest.mark.claim("float16-gradient-underflow")
def test_float16_smallest_value():
    smallest = np.float16(2.0) ** -24
    assert smallest > 0 and np.float16(smallest / 2) == 0
    assert 5.9e-8 < float(smallest) < 6.0e-8
    assert np.float16(1e-8) == 0


@pytest.mark.claim("plain-optimizer-scale-loss-identity")
def test_plain_optimizer_scale_loss_returns_loss():
    assert float(keras.optimizers.SGD(0.1).scale_loss(tf.constant(3.0))) == 3.0
    assert float(keras.optimizers.Adam().scale_loss(tf.constant(3.0))) == 3.0


@pytest.mark.claim("dynamic-loss-scale-skips-and-halves")
def test_non_finite_gradient_skips_and_halves():
    variable = keras.Variable(np.ones(2, "float32"))
    optimizer = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.1), dynamic_growth_steps=2)
    optimizer.apply([tf.constant([np.inf, 1.0])], [variable])
    np.testing.assert_array_equal(variable.numpy(), [1.0, 1.0])  # skipped
    assert float(optimizer.dynamic_scale) == 2.0**14
    optimizer.apply([tf.constant([2.0**14, 0.0])], [variable])
    optimizer.apply([tf.constant([2.0**14, 0.0])], [variable])
    assert float(optimizer.dynamic_scale) == 2.0**15  # doubled after dynamic_growth_steps
    assert inspect.signature(keras.optimizers.LossScaleOptimizer).parameters[
        "dynamic_growth_steps"].default == 2000


@pytest.mark.claim("compile-wraps-loss-scale-optimizer")
def test_compile_wraps_only_for_mixed_float16():
    def compiled(policy, **options):
        keras.mixed_precision.set_global_policy(policy)
        try:
            model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
            model.compile(optimizer="sgd", loss="mse", **options)
            return type(model.optimizer).__name__
        finally:
            keras.mixed_precision.set_global_policy("float32")

    assert compiled("mixed_float16") == "LossScaleOptimizer"
    assert compiled("mixed_float16", auto_scale_loss=False) == "SGD"
    assert compiled("mixed_bfloat16") == "SGD"
    assert compiled("float32") == "SGD"


@pytest.mark.claim("default-train-step-scales-loss")
def test_default_train_step_calls_scale_loss():
    calls = []

    class Counting(keras.optimizers.SGD):
        def scale_loss(self, loss):
            calls.append(1)
            return super().scale_loss(loss)

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer=Counting(0.1), loss="mse", run_eagerly=True)
    model.fit(np.ones((8, 2), "float32"), np.ones((8, 1), "float32"), batch_size=4, verbose=0)
    assert len(calls) == 2


@pytest.mark.claim("loss-scale-optimizer-apply-unscales")
def test_apply_and_apply_gradients_divide_by_the_scale():
    for use_apply_gradients in (False, True):
        variable = keras.Variable(np.zeros(1, "float32"))
        optimizer = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(1.0))
        gradient = [tf.constant([32768.0])]
        if use_apply_gradients:
            optimizer.apply_gradients(zip(gradient, [variable]))
        else:
            optimizer.apply(gradient, [variable])
        np.testing.assert_allclose(variable.numpy(), [-1.0])


@pytest.mark.claim("keras-ops-promote-mixed-dtypes")
def test_keras_ops_promote():
    half, single = tf.ones(2, tf.float16), tf.ones(2, tf.float32)
    assert dtype_name(keras.ops.subtract(half, single)) == "float32"
    assert dtype_name(keras.ops.add(half, 0.5)) == "float16"


@pytest.mark.claim("tf-keras-loss-scale-optimizer-api")
def test_tf_keras_has_get_scaled_loss_and_get_unscaled_gradients():
    import tf_keras

    optimizer = tf_keras.mixed_precision.LossScaleOptimizer(tf_keras.optimizers.SGD(0.1))
    scale = float(optimizer.loss_scale)
    assert float(optimizer.get_scaled_loss(tf.constant(2.0))) == 2.0 * scale
    assert float(optimizer.get_unscaled_gradients([tf.constant(scale)])[0]) == 1.0
    assert not hasattr(optimizer, "scale_loss")
    fixed = tf_keras.mixed_precision.LossScaleOptimizer(tf_keras.optimizers.SGD(0.1),
                                                        dynamic=False, initial_scale=1024)
    assert float(fixed.loss_scale) == 1024.0


@pytest.mark.claim("keras3-no-get-unscaled-gradients")
def test_keras3_has_no_get_unscaled_gradients():
    optimizer = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.1))
    with pytest.raises(AttributeError, match="'LossScaleOptimizer' object has no attribute 'get_unscaled_gradients'"):
        optimizer.get_unscaled_gradients([tf.constant(1.0)])


@pytest.mark.claim("loss-scale-factor-fixed-scale")
def test_loss_scale_factor_unscales_in_apply():
    variable = keras.Variable(np.zeros(1, "float32"))
    optimizer = keras.optimizers.SGD(1.0, loss_scale_factor=1024.0)
    optimizer.apply([tf.constant([1024.0])], [variable])
    np.testing.assert_allclose(variable.numpy(), [-1.0])
