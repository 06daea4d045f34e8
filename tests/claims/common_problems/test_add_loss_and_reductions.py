"""Claim checks for docs/<lang>/common-problems/add-loss-and-reductions.md."""

import ast

import numpy as np
import keras
import pytest

Y_TRUE = np.zeros((4, 1), dtype="float32")
Y_PRED = np.array([[1.0], [2.0], [3.0], [4.0]], dtype="float32")


@pytest.mark.claim("tf-keras-add-loss-accepts-float")
def test_tf_keras_add_loss_accepts_a_python_float():
    import tf_keras

    class ConstantPenalty(tf_keras.layers.Layer):
        def call(self, inputs):
            self.add_loss(0.5)
            return inputs

    layer = ConstantPenalty()
    layer(np.ones((2, 3), dtype="float32"))
    assert [float(loss) for loss in layer.losses] == [0.5]


@pytest.mark.claim("add-loss-checks-only-tensor-type")
def test_add_loss_accepts_a_tensor_from_outside_call_and_refuses_a_float_there_too():
    layer = keras.layers.Dense(1)
    layer.add_loss(keras.ops.convert_to_tensor(0.25))
    assert [float(loss) for loss in layer.losses] == [0.25]
    with pytest.raises(ValueError, match="on a tensor input. Received invalid value: 0.25"):
        layer.add_loss(0.25)


@pytest.mark.claim("regularizer-loss-follows-current-weights")
def test_regularizer_loss_is_recomputed_from_the_current_weights():
    dense = keras.layers.Dense(3, kernel_initializer="ones",
                               kernel_regularizer=keras.regularizers.L1(0.01))
    dense.build((None, 4))
    assert np.isclose(float(dense.losses[0]), 0.12)
    dense.kernel.assign(2 * np.ones((4, 3), dtype="float32"))
    assert np.isclose(float(dense.losses[0]), 0.24)


@pytest.mark.claim("tf-keras-callable-loss-recomputed")
def test_tf_keras_callable_loss_is_called_again_on_each_read():
    import tf_keras

    old = tf_keras.layers.Dense(3, kernel_initializer="ones")
    old.build((None, 4))
    old.add_loss(lambda: 0.01 * tf_keras.backend.sum(tf_keras.backend.abs(old.kernel)))
    assert np.isclose(float(old.losses[0]), 0.12)
    old.kernel.assign(2 * np.ones((4, 3), dtype="float32"))
    assert np.isclose(float(old.losses[0]), 0.24)


@pytest.mark.claim("tf-keras-functional-add-loss-works")
def test_tf_keras_functional_model_add_loss_enters_the_loss():
    import tf_keras

    tf_keras.utils.set_random_seed(0)
    x = np.random.rand(8, 4).astype("float32")
    inputs = tf_keras.Input(shape=(4,))
    hidden = tf_keras.layers.Dense(2)(inputs)
    model = tf_keras.Model(inputs, tf_keras.layers.Dense(4)(hidden))
    model.add_loss(tf_keras.backend.mean(tf_keras.backend.square(hidden)))
    model.compile(optimizer="sgd", loss="mse")
    reported = model.evaluate(x, x, batch_size=8, verbose=0)
    mse = float(tf_keras.losses.MeanSquaredError()(x, model(x)))
    added = float(np.mean(np.square(model.layers[1](x).numpy())))
    assert added > 0.01
    assert np.isclose(reported, mse + added, atol=1e-5)


@pytest.mark.claim("tf-keras-auto-means-sum-over-batch-size")
def test_tf_keras_auto_reduction_equals_sum_over_batch_size():
    import tf_keras

    auto = float(tf_keras.losses.MeanSquaredError(reduction="auto")(Y_TRUE, Y_PRED))
    mean = float(tf_keras.losses.MeanSquaredError(reduction="sum_over_batch_size")(Y_TRUE, Y_PRED))
    total = float(tf_keras.losses.MeanSquaredError(reduction="sum")(Y_TRUE, Y_PRED))
    assert auto == mean == 7.5 and total == 30.0


@pytest.mark.claim("six-reduction-values")
def test_keras_3_accepts_exactly_six_reduction_values():
    from keras.src.losses.loss import standardize_reduction

    allowed = ["sum_over_batch_size", "sum", None, "none", "mean", "mean_with_sample_weight"]
    for value in allowed:
        assert keras.losses.MeanSquaredError(reduction=value).reduction == value
    with pytest.raises(ValueError) as info:
        standardize_reduction("auto")
    listed = str(info.value).split("Expected one of ")[1].split(". Received")[0]
    assert sorted(map(str, ast.literal_eval(listed))) == sorted(map(str, allowed))


@pytest.mark.claim("tf-keras-refuses-none-and-weighted-mean")
@pytest.mark.parametrize("reduction", [None, "mean_with_sample_weight"])
def test_tf_keras_refuses_none_and_mean_with_sample_weight(reduction):
    import tf_keras

    with pytest.raises(ValueError, match=f"Invalid Reduction Key: {reduction}. Expected keys are"):
        tf_keras.losses.MeanSquaredError(reduction=reduction)


@pytest.mark.claim("reductions-both-versions-accept")
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "none"])
def test_three_reduction_strings_work_on_both_versions(reduction):
    import tf_keras

    new = keras.ops.convert_to_numpy(keras.losses.MeanSquaredError(reduction=reduction)(Y_TRUE, Y_PRED))
    old = tf_keras.losses.MeanSquaredError(reduction=reduction)(Y_TRUE, Y_PRED).numpy()
    np.testing.assert_allclose(new, old)


@pytest.mark.claim("tf-keras-loss-function-refuses-reduction")
def test_tf_keras_loss_function_refuses_reduction():
    import tf_keras

    with pytest.raises(TypeError, match="^Got an unexpected keyword argument 'reduction'$"):
        tf_keras.losses.mean_squared_error(Y_TRUE, Y_PRED, reduction="sum")


@pytest.mark.claim("compiled-function-loss-averaged")
def test_function_loss_in_compile_is_averaged_over_the_batch():
    def squared_error(y_true, y_pred):
        return keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)

    keras.utils.set_random_seed(0)
    x = np.random.rand(8, 3).astype("float32")
    y = np.random.rand(8, 1).astype("float32")
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss=squared_error)
    reported = model.evaluate(x, y, batch_size=8, verbose=0)
    per_example = keras.ops.convert_to_numpy(squared_error(y, model(x)))
    assert per_example.shape == (8,)
    assert np.isclose(reported, per_example.mean(), atol=1e-6)
    assert not np.isclose(reported, per_example.sum())
