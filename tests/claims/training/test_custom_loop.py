"""Claim checks for docs/<lang>/training/custom-loop.md."""

import warnings

import numpy as np
import pytest
import tensorflow as tf
import keras


def data(n=64):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 3)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]], "float32") + 0.3).astype("float32")
    return x, y


def build(module=keras):
    module.utils.set_random_seed(0)
    return module.Sequential([
        module.Input((3,)),
        module.layers.Dense(1, kernel_regularizer=module.regularizers.L2(0.01),
                            kernel_constraint=module.constraints.NonNeg()),
    ])


def loop_losses(model, dataset, epochs, weighted=True, with_model_losses=True):
    optimizer = keras.optimizers.SGD(0.05)
    loss_fn = keras.losses.MeanSquaredError()
    tracker = keras.metrics.Mean()
    losses = []
    for _ in range(epochs):
        tracker.reset_state()
        for xb, yb in dataset:
            with tf.GradientTape() as tape:
                loss = loss_fn(yb, model(xb, training=True))
                if with_model_losses:
                    loss = loss + sum(model.losses)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            tracker.update_state(loss, sample_weight=tf.shape(xb)[0] if weighted else None)
        losses.append(float(tracker.result()))
    return losses


def fit_losses(model, dataset, epochs):
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse", run_eagerly=True)  # fast
    return model.fit(dataset, epochs=epochs, shuffle=False, verbose=0).history["loss"]


@pytest.mark.claim("custom-loop-reproduces-fit", "fit-loss-includes-model-losses")
def test_loop_with_model_losses_reproduces_fit():
    x, y = data()
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(16)
    by_fit, by_loop, no_reg = build(), build(), build()
    expected = fit_losses(by_fit, dataset, 1)
    np.testing.assert_allclose(loop_losses(by_loop, dataset, 1), expected, atol=1e-6, rtol=0)
    for a, b in zip(by_fit.get_weights(), by_loop.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-6, rtol=0)
    without = loop_losses(no_reg, dataset, 1, with_model_losses=False)
    assert abs(without[0] - expected[0]) > 1e-3


@pytest.mark.claim("fit-loss-weights-batches-by-size",
                   "unweighted-batch-mean-matches-fit-only-for-equal-batches")
def test_fit_weights_batch_losses_by_batch_size():
    x, y = data(40)
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(16)  # 16, 16, 8
    expected = fit_losses(build(), dataset, 1)[0]
    weighted = loop_losses(build(), dataset, 1, weighted=True)[0]
    plain = loop_losses(build(), dataset, 1, weighted=False)[0]
    assert weighted == pytest.approx(expected, abs=1e-5)
    assert abs(plain - expected) > 1e-2
    # equal batches: the plain mean matches too
    even = tf.data.Dataset.from_tensor_slices(data(64)).batch(16)
    assert loop_losses(build(), even, 1, weighted=False)[0] == pytest.approx(
        fit_losses(build(), even, 1)[0], abs=1e-5)


@pytest.mark.claim("model-losses-recomputed-on-read")
def test_model_losses_follow_the_current_weights():
    model = build()
    first = float(model.losses[0])
    model.layers[0].kernel.assign(np.full((3, 1), 2.0, "float32"))
    assert float(model.losses[0]) == pytest.approx(0.01 * 12.0)
    assert first != pytest.approx(0.12)


@pytest.mark.claim("keras3-apply-gradients-applies-constraints",
                   "tf-keras2-apply-gradients-applied-constraints")
def test_apply_gradients_applies_constraints_in_keras_3_and_tf_keras_2():
    import tf_keras

    gradient = np.array([[1.0], [-1.0], [1.0]], "float32")  # SGD(1.0): kernel - gradient
    for module, optimizer in ((keras, keras.optimizers.SGD(1.0)),
                              (tf_keras, tf_keras.optimizers.SGD(1.0)),
                              (tf_keras, tf_keras.optimizers.legacy.SGD(1.0))):
        layer = build(module).layers[0]
        layer.kernel.assign(np.full((3, 1), 0.5, "float32"))
        optimizer.apply_gradients([(tf.constant(gradient), layer.kernel)])
        kernel = np.asarray(layer.kernel.numpy()).ravel()
        np.testing.assert_allclose(kernel, [0.0, 1.5, 0.0], err_msg=type(optimizer).__module__)
        # the old manual line changes nothing after that
        layer.kernel.assign(layer.kernel_constraint(layer.kernel))
        np.testing.assert_allclose(np.asarray(layer.kernel.numpy()).ravel(), kernel)


@pytest.mark.claim("fit-ignores-shuffle-for-datasets")
def test_fit_warns_that_shuffle_is_ignored_for_a_dataset():
    dataset = tf.data.Dataset.from_tensor_slices(data(16)).batch(8)
    model = build()
    model.compile(optimizer="sgd", loss="mse")
    with pytest.warns(UserWarning, match="`shuffle=True` was passed, but will be ignored"):
        model.fit(dataset, epochs=1, shuffle=True, verbose=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        model.fit(dataset, epochs=1, shuffle=False, verbose=0)


@pytest.mark.claim("new-batch-shape-costs-a-trace")
def test_each_new_batch_shape_costs_one_trace():
    @tf.function
    def step(x):
        return tf.reduce_sum(x)

    for n in (16, 16, 24, 24, 16):
        step(tf.zeros((n, 3)))
    assert step.experimental_get_tracing_count() == 2


@pytest.mark.claim("python-function-is-undecorated")
def test_python_function_is_the_undecorated_function():
    def plain(x):
        return x + 1

    decorated = tf.function(plain)
    assert decorated.python_function is plain


@pytest.mark.claim("run-functions-eagerly-runs-python-body")
def test_run_functions_eagerly_runs_the_python_body_on_every_call():
    calls = []

    @tf.function
    def step(x):
        calls.append(float(x))  # needs an eager value
        return x

    tf.config.run_functions_eagerly(True)
    try:
        step(tf.constant(1.0))
        step(tf.constant(2.0))
    finally:
        tf.config.run_functions_eagerly(False)
    assert calls == [1.0, 2.0]


@pytest.mark.claim("fit-resets-metrics-each-epoch")
def test_fit_resets_metrics_at_each_epoch():
    counts = []

    class Count(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            counts.append(int(self.model.metrics[0].count.numpy()))  # the loss tracker

    model = build()
    model.compile(optimizer="sgd", loss="mse")
    x, y = data(32)
    model.fit(x, y, batch_size=8, epochs=2, verbose=0, callbacks=[Count()])
    assert counts == [32, 32]


@pytest.mark.claim("reset-states-removed")
def test_reset_states_is_gone_in_keras_3():
    metric = keras.metrics.Mean()
    metric.reset_state()
    with pytest.raises(AttributeError, match="reset_states"):
        metric.reset_states()


@pytest.mark.claim("keras-object-inside-tf-function-raises")
def test_creating_a_metric_inside_tf_function_raises():
    @tf.function
    def step(x):
        metric = keras.metrics.Mean()
        metric.update_state(x)
        return metric.result()

    with pytest.raises(ValueError, match="singleton tf.Variables created on the first call"):
        step(tf.constant(1.0))


@pytest.mark.claim("layers-default-to-inference-outside-fit")
def test_dropout_is_identity_without_training_true():
    keras.utils.set_random_seed(0)
    layer = keras.layers.Dropout(0.5)
    x = np.ones((4, 8), "float32")
    np.testing.assert_array_equal(layer(x).numpy(), x)
    assert (layer(x, training=True).numpy() == 0).any()
