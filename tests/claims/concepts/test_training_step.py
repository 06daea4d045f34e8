"""Claim checks for docs/<lang>/concepts/training-step.md."""

import json
import zipfile

import numpy as np
import keras
import pytest


class NoConfigPenalty(keras.regularizers.Regularizer):
    """A regularizer that does not override `get_config`."""

    def __call__(self, weight):
        return 0.01 * keras.ops.sum(keras.ops.abs(weight))


class OwnKernel(keras.layers.Layer):
    """Creates its kernel with the regularizer itself, in `build`."""

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], 1), initializer="ones",
                                      regularizer=NoConfigPenalty(), name="kernel")

    def call(self, inputs):
        return keras.ops.matmul(inputs, self.kernel)


def data(n=4):
    x = np.arange(2 * n, dtype="float32").reshape(n, 2) / 10.0
    y = np.ones((n, 1), dtype="float32")
    return x, y


def dense_model(**dense_kwargs):
    keras.utils.set_random_seed(0)
    return keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, **dense_kwargs)])


@pytest.mark.claim("regularizer-base-get-config-raises")
def test_base_regularizer_get_config_raises():
    with pytest.raises(NotImplementedError, match="does not implement get_config"):
        NoConfigPenalty().get_config()


@pytest.mark.claim("regularizer-config-needed-only-when-serialized")
def test_regularizer_config_needed_only_when_serialized(tmp_path):
    own = keras.Sequential([keras.Input((2,)), OwnKernel()])
    own.save(tmp_path / "own.keras")
    restored = keras.models.load_model(tmp_path / "own.keras", custom_objects={"OwnKernel": OwnKernel})
    assert [round(float(v), 4) for v in restored.losses] == [0.02]

    dense = dense_model(kernel_regularizer=NoConfigPenalty())
    with pytest.raises(NotImplementedError, match="does not implement get_config"):
        dense.save(tmp_path / "dense.keras")


@pytest.mark.claim("initializer-constraint-default-config-empty")
def test_initializer_and_constraint_default_config_is_empty():
    class Zeros(keras.initializers.Initializer):
        def __call__(self, shape, dtype=None):
            return keras.ops.zeros(shape, dtype=dtype)

    class Same(keras.constraints.Constraint):
        def __call__(self, weight):
            return weight

    assert Zeros().get_config() == {}
    assert Same().get_config() == {}


@pytest.mark.claim("custom-gradient-upstream-positional-on-tensorflow")
def test_custom_gradient_gets_upstream_positionally_on_tensorflow():
    import tensorflow as tf

    assert keras.backend.backend() == "tensorflow"
    seen = []

    @keras.ops.custom_gradient
    def identity(x):
        def grad(*args, upstream=None):
            seen.append((len(args), upstream))
            return args[0] if upstream is None else upstream
        return x, grad

    x = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        total = keras.ops.sum(3.0 * identity(x))
    assert tape.gradient(total, x).numpy().tolist() == [3.0, 3.0]
    assert seen == [(1, None)]


@pytest.mark.claim("add-loss-joins-step-loss")
def test_add_loss_is_added_to_the_loss_of_the_step():
    class Extra(keras.layers.Layer):
        def call(self, inputs):
            self.add_loss(keras.ops.convert_to_tensor(5.0))
            return inputs

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, kernel_initializer="zeros"), Extra()])
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    x, y = data()
    history = model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    assert history.history["loss"] == [pytest.approx(6.0)]  # mse of 1.0 plus 5.0


@pytest.mark.claim("build-calls-call-on-symbolic-placeholder")
def test_building_calls_call_once_on_a_symbolic_input():
    seen = []

    class Recorder(keras.layers.Layer):
        def call(self, inputs):
            seen.append((type(inputs).__name__, tuple(inputs.shape)))
            return inputs

    keras.Sequential([keras.Input((2,)), Recorder()])
    # On the TensorFlow backend, a placeholder in a scratch graph: a shape, no values.
    assert seen == [("SymbolicTensor", (None, 2))]


def counting_model(calls, run_eagerly):
    class Counting(keras.layers.Layer):
        def call(self, inputs):
            calls.append(1)
            return inputs

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1), Counting()])
    model.compile(optimizer="sgd", loss="mse", run_eagerly=run_eagerly)
    calls.clear()
    return model


@pytest.mark.claim("run-eagerly-runs-python-every-step")
def test_run_eagerly_runs_the_python_code_for_every_batch():
    x, y = data(6)
    eager, graph = [], []
    counting_model(eager, run_eagerly=True).fit(x, y, batch_size=2, verbose=0)
    counting_model(graph, run_eagerly=False).fit(x, y, batch_size=2, verbose=0)
    assert (len(eager), len(graph)) == (3, 1)


@pytest.mark.claim("apply-gets-gradient-list-update-step-per-variable")
def test_apply_gets_all_gradients_and_update_step_one_variable():
    events = []

    class Recording(keras.optimizers.SGD):
        def apply(self, grads, trainable_variables=None):
            events.append(("apply", len(grads)))
            return super().apply(grads, trainable_variables)

        def update_step(self, gradient, variable, learning_rate):
            events.append(("update_step", tuple(variable.shape)))
            return super().update_step(gradient, variable, learning_rate)

    model = dense_model()
    model.compile(optimizer=Recording(0.1), loss="mse", run_eagerly=True)
    x, y = data()
    model.fit(x, y, batch_size=4, verbose=0)
    assert events == [("apply", 2), ("update_step", (2, 1)), ("update_step", (1,))]


@pytest.mark.claim("batch-begin-sees-previous-weights")
def test_batch_begin_sees_the_weights_of_the_previous_step():
    seen = {"begin": [], "end": []}

    class Watch(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            seen["begin"].append(self.model.get_weights()[0].copy())

        def on_train_batch_end(self, batch, logs=None):
            seen["end"].append(self.model.get_weights()[0].copy())

    model = dense_model()
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    initial = model.get_weights()[0].copy()
    x, y = data()
    model.fit(x, y, batch_size=2, verbose=0, callbacks=[Watch()])
    np.testing.assert_array_equal(seen["begin"][0], initial)
    np.testing.assert_array_equal(seen["begin"][1], seen["end"][0])
    assert not np.array_equal(seen["end"][0], initial)


@pytest.mark.claim("compute-loss-adds-regularization-and-add-loss")
def test_compute_loss_adds_regularization_and_add_loss():
    class Extra(keras.layers.Layer):
        def call(self, inputs):
            self.add_loss(keras.ops.convert_to_tensor(0.5))
            return inputs

    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input((2,)),
        keras.layers.Dense(1, kernel_initializer="ones", kernel_regularizer=keras.regularizers.L1(0.1)),
        Extra(),
    ])
    model.compile(optimizer="sgd", loss="mse")
    x, y = data()
    y_pred = model(x)
    mse = float(keras.ops.mean(keras.ops.square(y - y_pred)))
    total = float(model.compute_loss(x, y, y_pred))
    assert total == pytest.approx(mse + 0.2 + 0.5, abs=1e-6)  # L1: 0.1 * (1 + 1)


@pytest.mark.claim("metrics-see-pre-update-predictions", "step-metrics-lag-update")
def test_metrics_use_the_predictions_made_before_the_update():
    model = dense_model(kernel_initializer="ones")
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
    x, y = data()
    before = float(np.abs(y - model.predict(x, verbose=0)).mean())
    history = model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    after = float(np.abs(y - model.predict(x, verbose=0)).mean())
    assert history.history["mae"][0] == pytest.approx(before, abs=1e-6)
    assert abs(after - before) > 0.02


@pytest.mark.claim("batch-end-logs-hold-metric-results")
def test_batch_end_logs_hold_the_metric_results():
    logs_seen = []

    class Watch(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            logs_seen.append(dict(logs))

    model = dense_model(kernel_initializer="ones")
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse", metrics=["mae"])
    x, y = data()
    model.fit(x, y, batch_size=4, verbose=0, callbacks=[Watch()])
    expected = float(np.abs(y - model.predict(x, verbose=0)).mean())
    assert sorted(logs_seen[0]) == ["loss", "mae"]
    assert logs_seen[0]["mae"] == pytest.approx(expected, abs=1e-6)


@pytest.mark.claim("graph-mode-hooks-still-run-every-step")
def test_graph_mode_runs_the_traced_hooks_for_every_batch():
    printed = []

    class CountBatches(keras.metrics.Metric):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.count = self.add_variable(shape=(), initializer="zeros", name="count")

        def update_state(self, y_true, y_pred, sample_weight=None):
            printed.append(1)
            self.count.assign_add(1.0)

        def result(self):
            return self.count

        def reset_state(self):  # keep counting across epochs
            pass

    metric = CountBatches()
    model = dense_model()
    model.compile(optimizer="sgd", loss="mse", metrics=[metric])
    x, y = data()
    model.fit(x, y, batch_size=2, epochs=2, verbose=0)
    assert float(metric.count) == 4.0
    assert len(printed) == 1


@pytest.mark.claim("tf-print-runs-every-graph-call")
def test_tf_print_prints_on_every_call_of_the_graph(capfd):
    import sys
    import tensorflow as tf

    @tf.function
    def step(x):
        tf.print("step", x, output_stream=sys.stderr)
        return x + 1

    for value in range(3):
        step(tf.constant(value))
    assert capfd.readouterr().err.count("step") == 3


@pytest.mark.claim("callback-not-saved")
def test_the_callback_is_not_in_the_saved_file(tmp_path):
    class MarkerCallback(keras.callbacks.Callback):
        pass

    model = dense_model()
    model.compile(optimizer="sgd", loss="mse")
    x, y = data()
    model.fit(x, y, verbose=0, callbacks=[MarkerCallback()])
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        assert sorted(archive.namelist()) == ["config.json", "metadata.json", "model.weights.h5"]
        config = json.loads(archive.read("config.json"))
    text = json.dumps(config)
    assert "MarkerCallback" not in text and "callback" not in text.lower()


def traced_model(events):
    """A model whose every hook appends its name to `events`, like the page's instrumented one."""

    class Init(keras.initializers.Initializer):
        def __call__(self, shape, dtype=None):
            events.append("init")
            return keras.ops.full(shape, 0.5, dtype=dtype)

    class Penalty(keras.regularizers.Regularizer):
        def __call__(self, weight):
            events.append("regularizer")
            return 0.01 * keras.ops.sum(keras.ops.abs(weight))

        def get_config(self):
            return {}

    class NonNeg(keras.constraints.Constraint):
        def __call__(self, weight):
            events.append("constraint")
            return keras.ops.maximum(weight, 0.0)

    @keras.ops.custom_gradient
    def probe(x):
        def grad(*args, upstream=None):
            events.append("gradient")
            return args[0] if upstream is None else upstream
        return x, grad

    @keras.saving.register_keras_serializable(package="claims_training_step")
    class Traced(keras.layers.Layer):
        def build(self, input_shape):
            events.append("build")
            self.kernel = self.add_weight(shape=(input_shape[-1], 1), initializer=Init(),
                                          regularizer=Penalty(), constraint=NonNeg(), name="kernel")

        def call(self, inputs):
            events.append("call")
            return probe(keras.ops.matmul(inputs, self.kernel))

    return keras.Sequential([keras.Input((2,)), Traced()])


def traced_training(events, model, run_eagerly):
    class Loss(keras.losses.Loss):
        def call(self, y_true, y_pred):
            events.append("loss")
            return keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)

    class Total(keras.metrics.Metric):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.total = self.add_variable(shape=(), initializer="zeros", name="total")

        def update_state(self, y_true, y_pred, sample_weight=None):
            events.append("update_state")
            self.total.assign_add(keras.ops.sum(y_pred))

        def result(self):
            events.append("result")
            return self.total

        def reset_state(self):
            events.append("reset_state")
            self.total.assign(0.0)

    class SGD(keras.optimizers.SGD):
        def apply(self, grads, trainable_variables=None):
            events.append("apply")
            return super().apply(grads, trainable_variables)

        def update_step(self, gradient, variable, learning_rate):
            events.append("update_step")
            return super().update_step(gradient, variable, learning_rate)

    class Events(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            events.append("epoch_begin")

        def on_train_batch_begin(self, batch, logs=None):
            events.append("batch_begin")

        def on_train_batch_end(self, batch, logs=None):
            events.append("batch_end")

    model.compile(optimizer=SGD(0.01), loss=Loss(), metrics=[Total()], run_eagerly=run_eagerly)
    return Events()


STEP = ["call", "loss", "regularizer", "gradient", "apply", "update_step", "constraint",
        "update_state", "result"]


@pytest.mark.claim("build-on-first-input-shape", "sequential-with-input-built-on-creation")
def test_build_and_initializer_run_when_the_model_is_created():
    events = []
    model = traced_model(events)
    assert model.built
    assert events == ["build", "init", "call"]


@pytest.mark.claim("forward-pass-opens-the-step", "loss-follows-forward-pass", "backward-pass-after-loss",
                   "optimizer-runs-after-backward-pass", "constraint-right-after-update",
                   "regularizer-runs-in-loss-not-forward-pass")
def test_order_of_one_eager_training_step():
    events = []
    model = traced_model(events)
    callback = traced_training(events, model, run_eagerly=True)
    del events[:]
    x, y = data(2)
    model.fit(x, y, batch_size=2, epochs=1, verbose=0, callbacks=[callback])
    assert events == ["epoch_begin", "batch_begin", *STEP, "batch_end", "result"]


@pytest.mark.claim("graph-mode-python-runs-once-at-trace", "callbacks-print-every-batch-in-graph-mode",
                   "reset-state-before-epoch-begin", "no-reset-on-first-epoch")
def test_order_in_graph_mode_two_batches_two_epochs():
    events = []
    model = traced_model(events)
    callback = traced_training(events, model, run_eagerly=False)
    del events[:]
    x, y = np.ones((4, 2), "float32"), np.ones((4, 1), "float32")
    model.fit(x, y, batch_size=2, epochs=2, verbose=0, callbacks=[callback])
    assert events == [
        "epoch_begin", "batch_begin", *STEP, "batch_end", "batch_begin", "batch_end", "result",
        "reset_state", "epoch_begin", "batch_begin", "batch_end", "batch_begin", "batch_end", "result",
    ]


@pytest.mark.claim("registered-hooks-load-without-custom-objects", "load-rebuilds-then-restores-weights")
def test_loading_rebuilds_the_model_then_restores_the_weights(tmp_path):
    events = []
    model = traced_model(events)
    model.compile(optimizer="sgd", loss="mse")
    model.layers[0].kernel.assign([[2.0], [3.0]])
    model.save(tmp_path / "traced.keras")
    del events[:]
    restored = keras.models.load_model(tmp_path / "traced.keras")
    assert events == ["build", "init", "call"]
    assert keras.ops.convert_to_numpy(restored.layers[0].kernel).tolist() == [[2.0], [3.0]]


@pytest.mark.claim("train-step-between-batch-callbacks")
def test_train_step_runs_once_per_batch_between_the_batch_callbacks():
    events = []

    class Stepping(keras.Sequential):
        def train_step(self, data):
            events.append("train_step")
            return super().train_step(data)

    class Events(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            events.append("begin")

        def on_train_batch_end(self, batch, logs=None):
            events.append("end")

    model = Stepping([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    x, y = data(6)
    model.fit(x, y, batch_size=2, verbose=0, callbacks=[Events()])
    assert events == ["begin", "train_step", "end"] * 3
