"""Claim checks for docs/<lang>/building-blocks/metrics.md."""

import inspect
import io
import zipfile

import h5py
import numpy as np
import keras
import pytest

LABELS = np.array([1, 1, 1, 1, 0, 0, 0, 0, 1, 1], "float32").reshape(-1, 1)
SCORES = np.array([0.9, 0.8, 0.7, 0.6, 0.9, 0.8, 0.7, 0.2, 0.1, 0.3], "float32").reshape(-1, 1)


class Counting(keras.metrics.Metric):
    """Counts positive predictions, its update calls, and the sample weights it receives."""

    def __init__(self, name="counting", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.positives = self.add_variable(shape=(), initializer="zeros", name="positives")
        self.weights_seen = []
        self.resets = 0

    def update_state(self, y_true, y_pred, sample_weight=None):
        self.weights_seen.append(sample_weight is not None)
        self.positives.assign_add(keras.ops.sum(keras.ops.cast(y_pred > 0.5, self.dtype)))

    def result(self):
        return self.positives

    def reset_state(self):
        self.resets += 1
        super().reset_state()


def identity_model(**compile_kwargs):
    model = keras.Sequential([keras.Input((1,)), keras.layers.Identity()])
    model.compile(loss="binary_crossentropy", **compile_kwargs)
    return model


def dense_model(metrics):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=metrics)
    return model


class OldOverride(Counting):
    old_calls = 0

    def reset_states(self):  # the Keras 2 name
        self.old_calls += 1
        super().reset_state()


@pytest.mark.claim("fit-resets-metrics-each-epoch-and-evaluate", "first-epoch-reset-skipped-for-unbuilt-metrics",
                   "reset-states-override-never-called")
def test_fit_resets_each_epoch_except_unbuilt_first_and_evaluate_resets():
    metric = OldOverride()
    model = dense_model([metric])
    history = model.fit(SCORES, LABELS, epochs=3, batch_size=4, verbose=0)
    assert metric.resets == 2
    per_epoch = history.history["counting"]
    assert per_epoch[1] == per_epoch[2] <= 10  # each epoch counts its own 10 examples only
    before = metric.resets
    model.evaluate(SCORES, LABELS, verbose=0)
    model.evaluate(SCORES, LABELS, verbose=0)
    assert metric.resets == before + 2
    assert metric.old_calls == 0
    with pytest.raises(AttributeError, match="reset_states"):
        keras.metrics.Mean().reset_states()


@pytest.mark.claim("function-metric-wrapped-in-mean-metric-wrapper")
def test_function_metric_is_wrapped_in_mean_metric_wrapper():
    from keras.src.metrics.reduction_metrics import MeanMetricWrapper

    def absolute_error(y_true, y_pred):
        return keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1)

    model = identity_model(metrics=[absolute_error])
    model.evaluate(SCORES, LABELS, verbose=0)
    wrappers = [m for m in model.metrics[1].metrics if m.name == "absolute_error"]
    assert len(wrappers) == 1 and type(wrappers[0]) is MeanMetricWrapper
    assert isinstance(wrappers[0], keras.metrics.Mean)


@pytest.mark.claim("per-example-metric-values-batch-independent")
def test_per_example_function_metric_is_the_mean_over_examples():
    model = identity_model(metrics=["mae"])
    exact = float(np.mean(np.abs(LABELS - SCORES)))
    for batch_size in (10, 4):
        report = model.evaluate(SCORES, LABELS, batch_size=batch_size, verbose=0, return_dict=True)
        assert report["mae"] == pytest.approx(exact, abs=1e-6)


@pytest.mark.claim("metric-variable-non-trainable-summed")
def test_add_variable_is_non_trainable_sum_aggregated_and_reset():
    metric = Counting()
    assert metric.positives.trainable is False
    assert metric.positives.aggregation == "sum"
    metric.update_state(LABELS, SCORES)
    metric.reset_state()
    assert float(metric.positives) == 0.0


@pytest.mark.claim("metric-state-not-in-weights-file")
def test_model_save_does_not_write_metric_variables(tmp_path):
    model = dense_model([Counting()])
    model.fit(SCORES, LABELS, epochs=1, verbose=0)
    assert float(model.metrics[1].metrics[0].positives) > 0
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        with h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r") as weights:
            paths = []
            weights.visit(paths.append)
    assert any(p.startswith("layers/dense/vars") for p in paths)
    assert any(p.startswith("optimizer/vars") for p in paths)
    assert not any("metric" in p or "counting" in p or "loss" in p for p in paths)
    assert not hasattr(keras.metrics.Metric, "save_own_variables")


@pytest.mark.claim("metric-add-weight-is-an-alias", "metric-add-weight-shape-default")
def test_add_weight_alias_and_shape_defaults():
    assert inspect.signature(keras.metrics.Metric.add_weight).parameters["shape"].default == ()
    assert inspect.signature(keras.metrics.Metric.add_variable).parameters["shape"].default is inspect.Parameter.empty

    class Both(keras.metrics.Metric):
        def __init__(self):
            super().__init__(name="both")
            self.a = self.add_weight(name="a", initializer="zeros")
            self.b = self.add_variable(shape=(), initializer="zeros", name="b")

    metric = Both()
    assert [v.name for v in metric.variables] == ["a", "b"]
    assert metric.a.shape == metric.b.shape == ()
    assert metric.a.trainable is metric.b.trainable is False
    with pytest.raises(TypeError, match="shape"):
        keras.metrics.Metric.add_variable(metric, initializer="zeros", name="c")


@pytest.mark.claim("weighted-metrics-receive-sample-weight")
def test_only_weighted_metrics_receive_sample_weight():
    plain, weighted = Counting(name="plain"), Counting(name="weighted")
    model = identity_model(metrics=[plain], weighted_metrics=[weighted])
    model.evaluate(SCORES, LABELS, sample_weight=np.ones(10), verbose=0)
    assert plain.weights_seen and not any(plain.weights_seen)
    assert weighted.weights_seen and all(weighted.weights_seen)


@pytest.mark.claim("divide-no-nan-returns-zero")
def test_divide_no_nan_returns_zero():
    assert float(keras.ops.divide_no_nan(0.0, 0.0)) == 0.0
    assert np.isnan(float(keras.ops.divide(np.float32(0.0), np.float32(0.0))))


@pytest.mark.claim("metric-base-reset-state-zeros-variables")
def test_base_reset_state_zeros_every_variable():
    class Plain(keras.metrics.Metric):
        def __init__(self):
            super().__init__(name="plain")
            self.a = self.add_variable(shape=(2,), initializer="ones", name="a")

        def update_state(self, *args):
            self.a.assign_add([1.0, 2.0])

        def result(self):
            return self.a

    metric = Plain()
    metric.update_state()
    metric.reset_state()
    np.testing.assert_array_equal(metric.a.numpy(), [0.0, 0.0])  # zero, not the "ones" initializer


@pytest.mark.claim("metric-base-config-and-from-config")
def test_metric_base_config_and_default_from_config():
    class WithThreshold(keras.metrics.Metric):
        def __init__(self, threshold=0.5, name="with_threshold", dtype=None):
            super().__init__(name=name, dtype=dtype)
            self.threshold = threshold

        def get_config(self):
            return {**super().get_config(), "threshold": self.threshold}

    assert keras.metrics.Mean(name="m").get_config() == {"name": "m", "dtype": "float32"}
    restored = WithThreshold.from_config(WithThreshold(threshold=0.3, name="t").get_config())
    assert (type(restored), restored.threshold, restored.name) == (WithThreshold, 0.3, "t")


@pytest.mark.claim("metrics-keep-state-until-reset")
def test_metric_accumulates_across_epochs_without_reset():
    mean = keras.metrics.Mean()
    mean.update_state([1.0, 3.0])
    mean.update_state([5.0])
    assert float(mean.result()) == pytest.approx(3.0)
    mean.reset_state()
    mean.update_state([5.0])
    assert float(mean.result()) == pytest.approx(5.0)


@pytest.mark.claim("mean-metric-keeps-total-and-count")
def test_mean_keeps_weighted_total_and_count():
    mean = keras.metrics.Mean()
    mean.update_state(2.0, sample_weight=4)
    mean.update_state(1.0, sample_weight=2)
    assert {v.name: float(v) for v in mean.variables} == {"total": 10.0, "count": 6.0}
    assert float(mean.result()) == pytest.approx(10.0 / 6.0)


@pytest.mark.claim("registered-metric-name")
def test_registered_metric_name_in_compile_config():
    @keras.saving.register_keras_serializable(package="claims_metrics")
    class ClaimsMetric(Counting):
        pass

    model = dense_model([ClaimsMetric()])
    assert model.get_compile_config()["metrics"][0]["registered_name"] == "claims_metrics>ClaimsMetric"


@pytest.mark.claim("keras2-metric-add-weight-name-first")
def test_keras2_add_weight_takes_the_name_first():
    import tf_keras

    class OldStyleMean(tf_keras.metrics.Metric):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.total = self.add_weight("total", initializer="zeros")

        def update_state(self, values):
            self.total.assign_add(values)

        def result(self):
            return self.total

    assert [v.name for v in OldStyleMean(name="old").variables] == ["total:0"]
    assert list(inspect.signature(tf_keras.metrics.Metric.add_weight).parameters)[1] == "name"


@pytest.mark.claim("train-on-batch-returns-loss-before-update")
def test_train_on_batch_returns_loss_before_update():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5), loss="binary_crossentropy")
    x = np.array([[1.0, -1.0], [0.5, 2.0]], "float32")
    y = np.array([[1.0], [0.0]], "float32")
    before = float(keras.losses.binary_crossentropy(y, model.predict_on_batch(x)).numpy().mean())
    returned = model.train_on_batch(x, y)
    after = float(keras.losses.binary_crossentropy(y, model.predict_on_batch(x)).numpy().mean())
    assert returned == pytest.approx(before, rel=1e-5)
    assert after != pytest.approx(before, rel=1e-3)
