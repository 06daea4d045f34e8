"""Claim checks for docs/<lang>/layers-and-models/model-losses.md."""

import numpy as np
import keras
import pytest


def data(n=8, features=3, seed=0):
    keras.utils.set_random_seed(seed)
    x = np.random.normal(size=(n, features)).astype("float32")
    return x, x[:, :1].copy()


class Penalty(keras.layers.Layer):
    def call(self, inputs):
        self.add_loss(0.5 * keras.ops.mean(keras.ops.square(inputs)))
        return inputs


class TrackLayer(keras.layers.Layer):
    def __init__(self, tracker_name, **kwargs):
        super().__init__(**kwargs)
        self.tracker = keras.metrics.Mean(name=tracker_name)

    def call(self, inputs):
        self.tracker.update_state(keras.ops.mean(inputs))
        return inputs


def penalized_model():
    inputs = keras.Input(shape=(3,))
    outputs = keras.layers.Dense(1)(Penalty()(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse")
    return model


@pytest.mark.claim("compute-loss-adds-added-losses")
def test_train_and_test_steps_add_model_losses():
    x, y = data()
    model = penalized_model()
    mse = float(keras.ops.mean(keras.losses.mean_squared_error(y, model(x))))
    added = float(sum(model.losses))
    assert added > 0.1
    # test step: compiled loss plus the added loss of the same batch
    assert model.test_on_batch(x, y) == pytest.approx(mse + added, rel=1e-5)
    # train step: the loss is computed before the update, with the added loss included
    mse = float(keras.ops.mean(keras.losses.mean_squared_error(y, model(x))))
    added = float(sum(model.losses))
    assert model.train_on_batch(x, y) == pytest.approx(mse + added, rel=1e-5)
    # the default compute_loss itself returns the sum
    y_pred = model(x)
    mse = float(keras.ops.mean(keras.losses.mean_squared_error(y, y_pred)))
    added = float(sum(model.losses))
    total = model.compute_loss(x, y, y_pred, training=False)
    assert float(total) == pytest.approx(mse + added, rel=1e-5)


@pytest.mark.claim("activity-regularizer-divided-by-batch-size")
def test_activity_regularizer_divided_by_batch_size_add_loss_as_is():
    values = np.ones((4, 3), "float32")
    regularized = keras.layers.Activation("linear", activity_regularizer=keras.regularizers.L2(0.5))
    regularized(values)
    assert [float(v) for v in regularized.losses] == pytest.approx([0.5 * 12 / 4])
    penalty = Penalty()
    penalty(values)
    assert [float(v) for v in penalty.losses] == pytest.approx([0.5])  # not divided by 4


@pytest.mark.claim("compile-metrics-see-only-targets-and-predictions")
def test_compiled_metric_receives_only_y_true_and_y_pred():
    x, y = data()
    model = penalized_model()
    seen = []

    def needs_more(y_true, y_pred, hidden):
        return keras.ops.mean(y_pred)

    def record(y_true, y_pred):
        seen.append((tuple(y_true.shape), tuple(y_pred.shape)))
        return keras.ops.mean(y_pred)

    model.compile(optimizer="sgd", loss="mse", metrics=[needs_more], run_eagerly=True)
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'hidden'"):
        model.evaluate(x, y, verbose=0)
    model.compile(optimizer="sgd", loss="mse", metrics=[record], run_eagerly=True)
    model.evaluate(x, y, batch_size=8, verbose=0)
    assert seen == [((8, 1), (8, 1))]


@pytest.mark.claim("tracker-in-call-raises")
def test_creating_a_tracker_in_call_raises():
    class TrackerInCall(keras.layers.Layer):
        def call(self, inputs):
            self.tracker = keras.metrics.Mean(name="late")
            self.tracker.update_state(keras.ops.mean(inputs))
            return inputs

    with pytest.raises(ValueError, match="You cannot add new elements of state"):
        TrackerInCall()(np.ones((2, 3), "float32"))


@pytest.mark.claim("nested-model-trackers-not-collected", "nested-model-layer-trackers-collected")
def test_trackers_of_a_nested_model_are_skipped_but_its_layers_count():
    class Submodel(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.inside = TrackLayer("inside_submodel_layer")
            self.dense = keras.layers.Dense(1)
            self.tracker = keras.metrics.Mean(name="submodel_own")

        def call(self, inputs):
            outputs = self.dense(self.inside(inputs))
            self.tracker.update_state(keras.ops.mean(outputs))
            return outputs

    class Wrapper(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.inner = TrackLayer("in_nested_layer")

        def call(self, inputs):
            return self.inner(inputs)

    x, y = data()
    inputs = keras.Input(shape=(3,))
    submodel = Submodel()
    outputs = submodel(Wrapper()(TrackLayer("on_model_layer")(inputs)))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    history = model.fit(x, y, epochs=2, batch_size=4, verbose=0)
    names = {metric.name for metric in model.metrics}
    assert {"on_model_layer", "in_nested_layer", "inside_submodel_layer"} <= names
    assert "submodel_own" not in names
    assert "submodel_own" not in history.history
    assert "submodel_own" in [metric.name for metric in submodel.metrics]
    # neither reported nor reset: 2 epochs x 2 batches accumulate
    assert int(submodel.tracker.count) == 4


@pytest.mark.claim("layer-tracker-reset-each-epoch")
def test_layer_tracker_is_reset_and_averages_the_epoch_batches():
    x, y = data(n=8)
    inputs = keras.Input(shape=(3,))
    layer = TrackLayer("input_mean")
    model = keras.Model(inputs, keras.layers.Dense(1)(layer(inputs)))
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    history = model.fit(x, y, epochs=2, batch_size=4, shuffle=False, verbose=0)
    batch_means = [float(np.mean(x[:4])), float(np.mean(x[4:]))]
    assert history.history["input_mean"] == pytest.approx([np.mean(batch_means)] * 2, rel=1e-5)
    assert int(layer.tracker.count) == 2  # reset at the start of the second epoch
    model.evaluate(x[:4], y[:4], verbose=0)
    assert int(layer.tracker.count) == 1  # and at the start of evaluate


@pytest.mark.claim("compute-loss-not-called-by-predict")
def test_predict_does_not_call_compute_loss():
    calls = []

    class Counting(keras.Model):
        def compute_loss(self, *args, **kwargs):
            calls.append(kwargs.get("training", args[-1] if args else None))
            return super().compute_loss(*args, **kwargs)

    x, y = data()
    inputs = keras.Input(shape=(3,))
    model = Counting(inputs, keras.layers.Dense(1)(inputs))
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    model.predict(x, batch_size=4, verbose=0)
    assert calls == []
    model.fit(x, y, batch_size=4, verbose=0)
    assert len(calls) == 2
    model.evaluate(x, y, batch_size=4, verbose=0)
    assert len(calls) == 4


@pytest.mark.claim("overridden-metrics-property-replaces-list")
def test_overriding_metrics_replaces_the_collected_list():
    class OnlyLoss(keras.Model):
        @property
        def metrics(self):
            return [self._loss_tracker]

    x, y = data()
    inputs = keras.Input(shape=(3,))
    layer = TrackLayer("input_mean")
    outputs = keras.layers.Dense(1)(layer(inputs))
    default = keras.Model(inputs, outputs)
    default.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    assert "input_mean" in default.evaluate(x, y, verbose=0, return_dict=True)

    model = OnlyLoss(inputs, outputs)
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    assert sorted(model.fit(x, y, epochs=2, batch_size=4, verbose=0).history) == ["loss"]
    assert int(layer.tracker.count) == 4 + 1  # never reset: 4 fit batches + default's evaluate


@pytest.mark.claim("add-loss-replaced-each-call")
def test_each_call_replaces_the_added_losses():
    penalty = Penalty()
    assert penalty.losses == []
    penalty(np.ones((2, 3), "float32"))
    penalty(np.full((2, 3), 2.0, "float32"))
    assert [float(v) for v in penalty.losses] == pytest.approx([2.0])


@pytest.mark.claim("regularization-penalty-in-losses-after-build", "symbolic-call-keeps-no-added-loss")
def test_weight_penalty_present_after_build_activity_loss_after_real_call():
    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(3,))
    dense = keras.layers.Dense(2, kernel_regularizer=keras.regularizers.L2(0.1))
    model = keras.Model(inputs, Penalty()(dense(inputs)))
    expected = 0.1 * float(np.sum(keras.ops.convert_to_numpy(dense.kernel) ** 2))
    assert [float(v) for v in model.losses] == pytest.approx([expected])
    model(np.ones((2, 3), "float32"))
    assert len(model.losses) == 2


@pytest.mark.claim("reported-loss-includes-added-losses")
def test_fit_reports_compiled_loss_plus_added_losses():
    x, y = data()
    inputs = keras.Input(shape=(3,))
    dense = keras.layers.Dense(1, kernel_regularizer=keras.regularizers.L2(0.1))
    model = keras.Model(inputs, Penalty()(dense(inputs)))
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mse")
    y_pred = model(x)
    mse = float(keras.ops.mean(keras.losses.mean_squared_error(y, y_pred)))
    added = float(sum(model.losses))
    assert added > 0.05
    history = model.fit(x, y, batch_size=8, verbose=0)
    assert history.history["loss"][0] == pytest.approx(mse + added, rel=1e-5)


@pytest.mark.claim("layer-tracker-logged-without-registration")
def test_layer_tracker_appears_in_metrics_and_logs():
    x, y = data()
    inputs = keras.Input(shape=(3,))
    model = keras.Model(inputs, keras.layers.Dense(1)(TrackLayer("input_mean")(inputs)))
    assert [metric.name for metric in model.metrics] == ["input_mean"]
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"], run_eagerly=True)
    assert [metric.name for metric in model.metrics] == ["loss", "compile_metrics", "input_mean"]
    assert sorted(model.fit(x, y, verbose=0).history) == ["input_mean", "loss", "mae"]


@pytest.mark.claim("registered-layers-reload-without-custom-objects")
def test_registered_layer_loads_without_custom_objects(tmp_path):
    @keras.saving.register_keras_serializable(package="claims_model_losses")
    class RegisteredPenalty(Penalty):
        pass

    class UnregisteredPenalty(Penalty):
        pass

    for cls in (RegisteredPenalty, UnregisteredPenalty):
        inputs = keras.Input(shape=(3,))
        keras.Model(inputs, cls()(inputs)).save(tmp_path / f"{cls.__name__}.keras")
    loaded = keras.models.load_model(tmp_path / "RegisteredPenalty.keras")
    assert type(loaded.layers[-1]) is RegisteredPenalty
    with pytest.raises(TypeError, match="Could not locate class 'UnregisteredPenalty'"):
        keras.models.load_model(tmp_path / "UnregisteredPenalty.keras")
