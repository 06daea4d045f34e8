"""Claim checks for docs/<lang>/training/callbacks.md."""

import numpy as np
import keras
import pytest
import tensorflow as tf


def make_model(learning_rate=0.05):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate), loss="mse")
    return model


def data(n=8):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 3)).astype("float32")
    return x, x.sum(axis=1, keepdims=True)


class Record(keras.callbacks.Callback):
    def __init__(self, name, calls):
        super().__init__()
        self.name, self.calls = name, calls

    def on_train_batch_end(self, batch, logs=None):
        self.calls.append((self.name, batch))


@pytest.mark.claim("callbacks-called-in-list-order")
def test_callbacks_are_called_in_list_order():
    x, y = data()
    for order in (["a", "b"], ["b", "a"]):
        calls = []
        make_model().fit(x, y, batch_size=4, epochs=1, verbose=0,
                         callbacks=[Record(name, calls) for name in order])
        assert calls == [(order[0], 0), (order[1], 0), (order[0], 1), (order[1], 1)]


@pytest.mark.claim("callbacks-run-eagerly")
def test_callback_methods_run_as_eager_python():
    seen = []

    class Probe(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(tf.executing_eagerly())

    x, y = data()
    model = make_model()
    model.fit(x, y, batch_size=4, epochs=1, verbose=0, callbacks=[Probe()])
    assert seen == [True, True]
    assert model.run_eagerly is False  # the training step itself is compiled


@pytest.mark.claim("callback-init-takes-no-arguments")
def test_callback_init_takes_no_arguments():
    keras.callbacks.Callback()
    with pytest.raises(TypeError, match="positional argument"):
        keras.callbacks.Callback(1)


@pytest.mark.claim("overriding-train-batch-end-skips-on-batch-end")
def test_overriding_on_train_batch_end_replaces_the_alias_call():
    calls = []

    class Both(keras.callbacks.Callback):
        def on_batch_end(self, batch, logs=None):
            calls.append("on_batch_end")

        def on_train_batch_end(self, batch, logs=None):
            calls.append("on_train_batch_end")

    class AliasOnly(keras.callbacks.Callback):
        def on_batch_end(self, batch, logs=None):
            calls.append("alias")

    x, y = data()
    make_model().fit(x, y, batch_size=4, epochs=1, verbose=0, callbacks=[Both(), AliasOnly()])
    assert calls == ["on_train_batch_end", "alias"] * 2


@pytest.mark.claim("logs-values-are-python-floats", "begin-logs-empty-predict-outputs")
def test_logs_hold_python_floats_and_begin_methods_get_empty_dicts():
    seen = {}

    class Types(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            seen["train_begin"] = logs

        def on_epoch_begin(self, epoch, logs=None):
            seen["epoch_begin"] = logs

        def on_train_batch_begin(self, batch, logs=None):
            seen["batch_begin"] = logs

        def on_train_batch_end(self, batch, logs=None):
            seen["batch_end"] = {k: type(v) for k, v in logs.items()}

        def on_epoch_end(self, epoch, logs=None):
            seen["epoch_end"] = {k: type(v) for k, v in logs.items()}

        def on_predict_batch_end(self, batch, logs=None):
            seen["predict_batch_end"] = logs

    x, y = data()
    model = make_model()
    model.fit(x, y, batch_size=4, epochs=1, validation_data=(x, y), verbose=0, callbacks=[Types()])
    model.predict(x, batch_size=4, verbose=0, callbacks=[Types()])
    assert seen["train_begin"] == seen["epoch_begin"] == seen["batch_begin"] == {}
    assert seen["batch_end"] == {"loss": float}
    assert seen["epoch_end"] == {"loss": float, "val_loss": float}
    assert list(seen["predict_batch_end"]) == ["outputs"]
    assert seen["predict_batch_end"]["outputs"].shape == (4, 1)


@pytest.mark.claim("stop-training-after-current-batch")
def test_stop_training_stops_after_the_current_batch_and_still_ends_the_epoch():
    calls = []

    class StopAtFirstBatch(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            calls.append(f"batch {batch}")
            self.model.stop_training = True

        def on_epoch_end(self, epoch, logs=None):
            calls.append(f"epoch_end {epoch}")

        def on_train_end(self, logs=None):
            calls.append("train_end")

    x, y = data(12)
    model = make_model()
    model.fit(x, y, batch_size=4, epochs=3, verbose=0, callbacks=[StopAtFirstBatch()])
    assert calls == ["batch 0", "epoch_end 0", "train_end"]
    assert int(model.optimizer.iterations) == 1


@pytest.mark.claim("schedule-learning-rate-not-assignable")
def test_a_schedule_learning_rate_cannot_be_assigned():
    schedule = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    optimizer = keras.optimizers.SGD(learning_rate=schedule)
    with pytest.raises(TypeError, match="learning rate is not settable"):
        optimizer.learning_rate = 0.05
    plain = keras.optimizers.SGD(learning_rate=0.1)
    plain.learning_rate = 0.05
    assert float(plain.learning_rate) == pytest.approx(0.05)


@pytest.mark.claim("array-batches-full-except-last")
def test_array_batches_are_full_except_the_last_and_logs_carry_no_size():
    sizes, keys = [], []

    class Sizes(keras.layers.Layer):
        def call(self, inputs):
            if inputs.shape[0] is not None:  # skip the symbolic build call
                sizes.append(int(inputs.shape[0]))
            return inputs

    class Keys(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            keys.append(sorted(logs))

    x, y = data(8)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), Sizes(), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    model.fit(x, y, batch_size=3, epochs=1, shuffle=False, verbose=0, callbacks=[Keys()])
    assert sizes == [3, 3, 2]
    assert keys == [["loss"]] * 3


@pytest.mark.claim("batch-index-restarts-each-epoch")
def test_epoch_and_batch_numbers_start_at_zero_and_batches_restart():
    calls = []

    class Numbers(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            calls.append(("epoch", epoch))

        def on_train_batch_begin(self, batch, logs=None):
            calls.append(("batch", batch))

    x, y = data()
    make_model().fit(x, y, batch_size=4, epochs=2, verbose=0, callbacks=[Numbers()])
    assert calls == [("epoch", 0), ("batch", 0), ("batch", 1), ("epoch", 1), ("batch", 0), ("batch", 1)]


@pytest.mark.claim("on-batch-aliases-training-only")
def test_on_batch_methods_run_for_training_batches_only():
    calls = []

    class Old(keras.callbacks.Callback):
        def on_batch_begin(self, batch, logs=None):
            calls.append("begin")

        def on_batch_end(self, batch, logs=None):
            calls.append("end")

    x, y = data()
    model = make_model()
    model.fit(x, y, batch_size=4, epochs=1, verbose=0, callbacks=[Old()])
    assert calls == ["begin", "end"] * 2
    model.evaluate(x, y, batch_size=4, verbose=0, callbacks=[Old()])
    model.predict(x, batch_size=4, verbose=0, callbacks=[Old()])
    assert len(calls) == 4


@pytest.mark.claim("batch-logs-are-running-means", "epoch-logs-equal-last-batch-logs")
def test_batch_logs_are_running_means_and_the_epoch_keeps_the_last():
    batch_logs, epoch_logs = [], []

    class Keep(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            batch_logs.append(logs["loss"])

        def on_epoch_end(self, epoch, logs=None):
            epoch_logs.append(logs["loss"])

    x, y = data(8)
    model = make_model(learning_rate=0.0)
    model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0, callbacks=[Keep()])
    alone = [model.evaluate(x[i:i + 4], y[i:i + 4], verbose=0) for i in (0, 4)]
    assert alone[0] != pytest.approx(alone[1])
    assert batch_logs == pytest.approx([alone[0], (alone[0] + alone[1]) / 2], rel=1e-5)
    assert epoch_logs == [batch_logs[-1]]


@pytest.mark.claim("callback-params-epochs-steps-verbose")
def test_params_hold_epochs_steps_and_verbose():
    seen = []

    class Params(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            seen.append(dict(self.params))

    x, y = data(10)
    make_model().fit(x, y, batch_size=4, epochs=3, verbose=0, callbacks=[Params()])
    assert seen == [{"verbose": 0, "epochs": 3, "steps": 3}]


@pytest.mark.claim("custom-early-stopping-matches-builtin")
def test_builtin_early_stopping_waits_patience_epochs_and_restores_the_best():
    model = make_model()
    stopper = keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True)
    stopper.set_model(model)
    stopper.on_train_begin()
    for epoch, val_loss in enumerate([1.509, 1.31, 1.333, 1.406]):
        model.layers[0].kernel.assign(np.full((3, 1), float(epoch), "float32"))
        stopper.on_epoch_end(epoch, {"val_loss": val_loss})
        assert bool(model.stop_training) == (epoch == 3)
    stopper.on_train_end()
    assert (stopper.best_epoch, stopper.stopped_epoch) == (1, 3)
    np.testing.assert_array_equal(model.layers[0].kernel.numpy(), np.full((3, 1), 1.0))
