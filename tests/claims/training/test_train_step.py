"""Claim checks for docs/<lang>/training/train-step.md."""

import inspect
import json
import zipfile

import numpy as np
import pytest
import tensorflow as tf
import keras


def data(n=32):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 3)).astype("float32")
    return x, x @ np.array([[1.0], [-2.0], [0.5]], "float32")


def build(model_class=keras.Model):
    keras.utils.set_random_seed(7)
    inputs = keras.Input((3,))
    return model_class(inputs, keras.layers.Dense(1)(inputs))


@pytest.mark.claim("fit-compiles-train-step")
def test_train_step_runs_as_a_graph_unless_run_eagerly():
    class Probe(keras.Model):
        def train_step(self, data):
            self.seen.append(tf.executing_eagerly())
            return super().train_step(data)

    x, y = data()
    for run_eagerly, expected in ((False, False), (True, True)):
        model = build(Probe)
        model.seen = []
        model.compile(optimizer="sgd", loss="mse", run_eagerly=run_eagerly)
        model.fit(x, y, batch_size=8, epochs=1, verbose=0)
        assert set(model.seen) == {expected}
        assert len(model.seen) == (4 if run_eagerly else 1)  # graph: Python runs at trace only


@pytest.mark.claim("evaluate-predict-call-their-steps")
def test_evaluate_and_predict_call_their_step_per_batch():
    class Counting(keras.Model):
        def test_step(self, data):
            self.calls.append("test")
            return super().test_step(data)

        def predict_step(self, data):
            self.calls.append("predict")
            return super().predict_step(data)

    x, y = data()
    model = build(Counting)
    model.calls = []
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    model.evaluate(x, y, batch_size=8, verbose=0)
    model.predict(x, batch_size=16, verbose=0)
    assert model.calls == ["test"] * 4 + ["predict"] * 2


class ForgetfulModel(keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
        self.optimizer.apply(tape.gradient(loss, self.trainable_variables),
                             self.trainable_variables)
        return self.compute_metrics(x, y, y_pred, sample_weight=None)


@pytest.mark.claim("custom-train-step-owns-metrics", "compute-metrics-skips-loss-tracker")
def test_compute_metrics_leaves_the_loss_tracker_alone():
    x, y = data()
    default, forgetful = build(), build(ForgetfulModel)
    for model in (default, forgetful):
        model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
    a = default.fit(x, y, batch_size=8, epochs=1, verbose=0).history
    b = forgetful.fit(x, y, batch_size=8, epochs=1, verbose=0).history
    assert a["loss"][0] > 0.1 and b["loss"] == [0.0]
    assert b["mae"] == pytest.approx(a["mae"], abs=1e-6)
    for wa, wb in zip(default.get_weights(), forgetful.get_weights()):
        np.testing.assert_allclose(wa, wb, atol=1e-6)


@pytest.mark.claim("subclass-called-with-inputs-is-functional")
def test_subclass_called_with_inputs_and_outputs_is_functional():
    from keras.src.models.functional import Functional

    class Mine(keras.Model):
        def hello(self):
            return "mine"

    model = build(Mine)
    assert isinstance(model, Mine) and isinstance(model, Functional)
    assert model.hello() == "mine" and len(model.layers) == 2


@pytest.mark.claim("compute-loss-gets-training-flag")
def test_compute_loss_receives_training_from_fit_and_evaluate():
    seen = []

    class Flagged(keras.Model):
        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
            seen.append(training)
            return super().compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight,
                                        training=training)

    x, y = data(8)
    model = build(Flagged)
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    model.evaluate(x, y, batch_size=8, verbose=0)
    assert seen == [True, False]
    from keras.src.trainers import trainer
    assert "this argument was added in Keras 3.3" in inspect.getsource(trainer.Trainer._compute_loss)


@pytest.mark.claim("unpack-fills-missing-with-none")
def test_unpack_x_y_sample_weight():
    assert keras.utils.unpack_x_y_sample_weight((1, 2)) == (1, 2, None)
    assert keras.utils.unpack_x_y_sample_weight((1,)) == (1, None, None)
    assert keras.utils.unpack_x_y_sample_weight((1, 2, 3)) == (1, 2, 3)


@pytest.mark.claim("compute-loss-signature-order")
def test_compute_loss_signature():
    params = list(inspect.signature(keras.Model.compute_loss).parameters)
    assert params == ["self", "x", "y", "y_pred", "sample_weight", "training"]


@pytest.mark.claim("positional-compute-loss-fails")
def test_positional_compute_loss_leaves_y_pred_none():
    class Positional(keras.Model):
        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compute_loss(y, y_pred)
            self.optimizer.apply(tape.gradient(loss, self.trainable_variables),
                                 self.trainable_variables)
            return self.compute_metrics(x, y, y_pred)

    x, y = data(8)
    model = build(Positional)
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="None values not supported"):
        model.fit(x, y, batch_size=8, epochs=1, verbose=0)


@pytest.mark.claim("apply-and-apply-gradients-apply-constraints")
def test_apply_and_apply_gradients_both_apply_constraints():
    for use_apply in (True, False):
        layer = keras.layers.Dense(1, use_bias=False, kernel_initializer="ones",
                                   kernel_constraint=keras.constraints.NonNeg())
        layer.build((None, 2))
        kernel = layer.kernel
        optimizer = keras.optimizers.SGD(1.0)
        gradient = tf.constant([[3.0], [-1.0]])
        if use_apply:
            optimizer.apply([gradient], [kernel])
        else:
            optimizer.apply_gradients([(gradient, kernel)])
        np.testing.assert_allclose(kernel.numpy().ravel(), [0.0, 2.0])


@pytest.mark.claim("default-loss-tracker-weights-by-batch-size")
def test_default_loss_tracker_weights_batches_by_size():
    x, y = data(10)  # batches of 4, 4 and 2
    model = build()
    model.compile(optimizer="sgd", loss="mse")
    model.evaluate(x, y, batch_size=4, verbose=0)
    assert float(model.metrics[0].count.numpy()) == 10.0  # examples, not batches (3)


@pytest.mark.claim("test-step-no-update", "evaluate-resets-metrics")
def test_evaluate_does_not_update_and_resets_metrics():
    seen = []

    class Probe(keras.Model):
        def call(self, inputs, training=None):
            seen.append(training)
            return super().call(inputs, training=training)

    x, y = data(16)
    model = build(Probe)
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"], run_eagerly=True)
    before = [w.copy() for w in model.get_weights()]
    first = model.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
    second = model.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
    assert first == second  # no state left over from the first run
    assert float(model.metrics[0].count.numpy()) == 16.0
    assert set(seen) == {False} and int(model.optimizer.iterations) == 0
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


class TrackedModel(keras.Model):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_tracker = keras.metrics.Mean(name="loss")

    @property
    def metrics(self):
        return [self.loss_tracker]

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = keras.ops.mean((self(x, training=True) - y) ** 2)
        self.optimizer.apply(tape.gradient(loss, self.trainable_variables),
                             self.trainable_variables)
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}


@pytest.mark.claim("attribute-metrics-are-tracked", "metrics-property-decides-resets")
def test_attribute_metrics_are_tracked_and_reset_each_epoch():
    class Plain(keras.Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.tracker = keras.metrics.Mean(name="tracker")

    plain = build(Plain)
    assert any(m is plain.tracker for m in plain.metrics)

    x, y = data(32)
    model = build(TrackedModel)
    model.compile(optimizer=keras.optimizers.SGD(0.05))
    model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    assert [m.name for m in model.metrics] == ["loss"]
    assert int(model.loss_tracker.count.numpy()) == 4  # reset when epoch 2 began


@pytest.mark.claim("keras-file-contents", "reloaded-model-keeps-train-step")
def test_keras_file_contents_and_reloaded_train_step(tmp_path):
    @keras.saving.register_keras_serializable(package="claims")
    class Saved(TrackedModel):
        pass

    x, y = data(16)
    model = build(Saved)
    model.compile(optimizer=keras.optimizers.SGD(0.05))
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    path = tmp_path / "saved.keras"
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        assert {"config.json", "model.weights.h5"} <= set(archive.namelist())
        config = json.loads(archive.read("config.json"))
    assert config["class_name"] == "Saved"
    assert [layer["class_name"] for layer in config["config"]["layers"]] == ["InputLayer", "Dense"]
    assert config["compile_config"]["optimizer"]["class_name"] == "SGD"
    text = json.dumps(config)
    assert "def train_step" not in text and "\"train_step\"" not in text  # no methods stored

    reloaded = keras.models.load_model(path)
    assert type(reloaded) is Saved and reloaded.optimizer is not None
    reloaded.fit(x, y, batch_size=8, epochs=1, verbose=0)
    assert [m.name for m in reloaded.metrics] == ["loss"]
    assert int(reloaded.loss_tracker.count.numpy()) == 2  # updated by Saved.train_step


@pytest.mark.claim("saved-config-tuples-become-lists")
def test_reloaded_functional_config_differs_only_by_tuples_becoming_lists(tmp_path):
    model = build()
    model.save(tmp_path / "model.keras")
    reloaded = keras.models.load_model(tmp_path / "model.keras")
    before, after = model.get_config(), reloaded.get_config()
    assert before["layers"][1]["build_config"]["input_shape"] == (None, 3)
    assert after["layers"][1]["build_config"]["input_shape"] == [None, 3]
    assert before != after
    assert json.loads(json.dumps(before)) == json.loads(json.dumps(after))
