"""Claim checks for docs/<lang>/concepts/losses-vs-metrics.md."""

import numpy as np
import keras
import pytest


def huber(y_true, y_pred):
    return keras.losses.huber(y_true, y_pred)


def logged_names(metrics, weighted_metrics):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=metrics, weighted_metrics=weighted_metrics)
    x, y = np.ones((4, 2), "float32"), np.zeros((4, 1), "float32")
    return sorted(model.evaluate(x, y, sample_weight=np.ones(4), verbose=0, return_dict=True))


@pytest.mark.claim("weighted-prefix-only-on-clash")
def test_weighted_prefix_only_when_the_name_clashes():
    assert logged_names([huber], [huber]) == ["huber", "loss", "weighted_huber"]
    assert logged_names([], [huber]) == ["huber", "loss"]


@pytest.mark.claim("accuracy-has-no-gradient")
def test_rounding_and_equality_have_no_gradient():
    import tensorflow as tf

    y_true = tf.constant([1.0, 0.0, 1.0])
    logits = tf.Variable([0.3, -0.2, -1.5])
    with tf.GradientTape(persistent=True) as tape:
        probabilities = tf.sigmoid(logits)
        loss = keras.losses.binary_crossentropy(y_true, probabilities)
        accuracy = tf.reduce_mean(tf.cast(tf.equal(y_true, tf.round(probabilities)), tf.float32))
    assert tape.gradient(accuracy, logits) is None
    assert tape.gradient(loss, logits) is not None


def fitted(loss, metrics=(), weighted_metrics=(), batch_size=4):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, kernel_initializer="zeros")])
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss=loss, metrics=list(metrics),
                  weighted_metrics=list(weighted_metrics))
    return model


X = np.array([[0.0], [1.0], [2.0], [3.0]], "float32")
Y = np.array([[1.0], [2.0], [4.0], [0.5]], "float32")  # predictions are 0: errors 1, 2, 4, 0.5


@pytest.mark.claim("function-loss-averaged-by-keras", "compiled-loss-logged-as-loss")
def test_keras_averages_the_per_example_values_of_a_loss_function():
    model = fitted(lambda y_true, y_pred: keras.ops.abs(y_true - y_pred)[:, 0])
    report = model.evaluate(X, Y, batch_size=4, verbose=0, return_dict=True)
    assert report == {"loss": pytest.approx((1 + 2 + 4 + 0.5) / 4)}


@pytest.mark.claim("metrics-ignore-sample-weights")
def test_metrics_ignore_sample_weights():
    model = fitted("mae", metrics=["mae"])
    weights = np.array([1.0, 1.0, 0.0, 0.0], "float32")
    report = model.evaluate(X, Y, sample_weight=weights, batch_size=4, verbose=0, return_dict=True)
    assert report["mae"] == pytest.approx(7.5 / 4)
    assert report["loss"] == pytest.approx(3.0 / 4)


@pytest.mark.claim("function-metric-named-after-function")
def test_function_metric_is_named_after_the_function():
    assert logged_names([huber], []) == ["huber", "loss"]


@pytest.mark.claim("unweighted-loss-equals-metric")
def test_without_weights_loss_and_metric_agree():
    model = fitted(huber, metrics=[huber], weighted_metrics=[huber])
    report = model.evaluate(X, Y, batch_size=4, verbose=0, return_dict=True)
    assert report["loss"] == pytest.approx(report["huber"]) == pytest.approx(report["weighted_huber"])
    assert report["loss"] == pytest.approx((0.5 + 1.5 + 3.5 + 0.125) / 4)


def mae_per_example(y_true, y_pred):
    return keras.ops.abs(y_true - y_pred)[:, 0]


def mae_per_batch(y_true, y_pred):
    return keras.ops.mean(keras.ops.abs(y_true - y_pred))


@pytest.mark.claim("function-metric-running-mean-per-example")
def test_per_example_metric_weights_each_batch_by_its_size():
    model = fitted("mse", metrics=[mae_per_example])
    report = model.evaluate(X, Y, batch_size=3, verbose=0, return_dict=True)  # batches of 3 and 1
    assert report["mae_per_example"] == pytest.approx((1 + 2 + 4 + 0.5) / 4)


@pytest.mark.claim("function-metric-per-batch-value-counts-once")
def test_per_batch_metric_counts_each_batch_once():
    model = fitted("mse", metrics=[mae_per_batch])
    report = model.evaluate(X, Y, batch_size=3, verbose=0, return_dict=True)
    assert report["mae_per_batch"] == pytest.approx(((1 + 2 + 4) / 3 + 0.5) / 2)


@pytest.mark.claim("metric-result-update-reset-semantics")
def test_result_reads_update_adds_reset_zeroes():
    metric = keras.metrics.Precision()
    metric.update_state([1, 0], [1, 1])
    state = [keras.ops.convert_to_numpy(v).tolist() for v in metric.variables]
    assert float(metric.result()) == pytest.approx(0.5)
    assert [keras.ops.convert_to_numpy(v).tolist() for v in metric.variables] == state == [[1.0], [1.0]]
    metric.update_state([1], [1])
    assert [keras.ops.convert_to_numpy(v).tolist() for v in metric.variables] == [[2.0], [1.0]]
    metric.reset_state()
    assert [keras.ops.convert_to_numpy(v).tolist() for v in metric.variables] == [[0.0], [0.0]]


@pytest.mark.claim("metrics-reset-each-epoch-and-evaluate")
def test_metrics_reset_each_epoch_and_each_evaluate():
    model = fitted("mse", metrics=[CountExamples()])
    history = model.fit(X, Y, batch_size=2, epochs=2, verbose=0)
    assert history.history["count"] == [4.0, 4.0]
    first = model.evaluate(X, Y, batch_size=2, verbose=0, return_dict=True)["count"]
    second = model.evaluate(X, Y, batch_size=2, verbose=0, return_dict=True)["count"]
    assert first == second == 4.0


class CountExamples(keras.metrics.Metric):
    def __init__(self, name="count", **kwargs):
        super().__init__(name=name, **kwargs)
        self.seen = self.add_variable(shape=(), initializer="zeros", name="seen")

    def update_state(self, y_true, y_pred, sample_weight=None):
        self.seen.assign_add(keras.ops.cast(keras.ops.shape(y_true)[0], "float32"))

    def result(self):
        return self.seen


@pytest.mark.claim("tf-keras-metric-has-reset-states")
def test_tf_keras_metrics_have_reset_states():
    import tf_keras

    metric = tf_keras.metrics.Precision()
    metric.update_state([1, 0], [1, 1])
    metric.reset_states()
    assert float(metric.result()) == 0.0
    assert not hasattr(keras.metrics.Precision(), "reset_states")
