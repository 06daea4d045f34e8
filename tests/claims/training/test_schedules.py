"""Claim checks for docs/<lang>/training/schedules.md."""

import warnings

import numpy as np
import keras
import pytest


class Halving(keras.optimizers.schedules.LearningRateSchedule):
    """0.1 halved every 4 steps; in eager runs, can record the steps it is given."""

    def __init__(self, every=4, seen=None):
        self.every = every
        self.seen = seen

    def __call__(self, step):
        if self.seen is not None and keras.ops.is_tensor(step):
            self.seen.append((int(step), str(step.dtype)))
        return 0.1 * keras.ops.power(0.5, keras.ops.floor_divide(step, self.every))

    def get_config(self):
        return {"every": self.every}


def data(n=16):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 3)).astype("float32")
    return x, x @ np.array([[1.0], [-2.0], [0.5]], "float32")


def model_with(learning_rate, run_eagerly=False):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate), loss="mse",
                  run_eagerly=run_eagerly)
    return model


@pytest.mark.claim("schedule-called-with-iterations", "schedule-step-is-integer-tensor",
                   "schedule-rate-changes-every-step")
def test_the_optimizer_calls_the_schedule_with_its_integer_step_counter():
    schedule = Halving(seen=[])
    x, y = data()
    model_with(schedule, run_eagerly=True).fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    # once per step (each update reads the rate once), counting on across epochs
    assert [step for step, _ in schedule.seen] == list(range(8))
    assert {dtype for _, dtype in schedule.seen} == {"int64"}
    # the update of step 4 already uses the halved rate
    variable = keras.Variable(np.zeros(1, "float32"))
    optimizer = keras.optimizers.SGD(learning_rate=Halving(every=1))
    for _ in range(3):
        optimizer.apply_gradients([(np.ones(1, "float32"), variable)])
    np.testing.assert_allclose(variable.numpy(), [-(0.1 + 0.05 + 0.025)], rtol=1e-6)


@pytest.mark.claim("callable-learning-rate-takes-no-arguments")
def test_a_callable_learning_rate_is_called_without_the_step():
    calls = []

    def rate(*args):
        calls.append(args)
        return 0.1

    variable = keras.Variable(np.zeros(1, "float32"))
    keras.optimizers.SGD(learning_rate=rate).apply_gradients([(np.ones(1, "float32"), variable)])
    assert calls and set(calls) == {()}


@pytest.mark.claim("lambda-learning-rate-refused-on-load")
def test_a_lambda_learning_rate_is_refused_on_load_unless_unsafe(tmp_path):
    x, y = data()
    model = model_with(lambda: 0.01)
    model.fit(x, y, verbose=0)
    with pytest.warns(UserWarning, match="includes a `lambda`"):
        model.save(tmp_path / "l.keras")
    with pytest.raises(ValueError, match="lambda"):
        keras.models.load_model(tmp_path / "l.keras")
    loaded = keras.models.load_model(tmp_path / "l.keras", safe_mode=False)
    assert float(loaded.optimizer.learning_rate) == pytest.approx(0.01)


@pytest.mark.claim("builtin-schedules-serialize")
def test_builtin_schedules_round_trip_without_custom_objects():
    schedule = keras.optimizers.schedules.CosineDecay(0.0, 90, warmup_target=0.1, warmup_steps=10)
    config = keras.optimizers.SGD(learning_rate=schedule).get_config()
    rebuilt = keras.optimizers.SGD.from_config(config)
    assert type(rebuilt.learning_rate).__name__ != "CosineDecay"  # a value, not the object
    values = [float(rebuilt._learning_rate(step)) for step in (0, 5, 50, 120)]
    assert values == pytest.approx([float(schedule(step)) for step in (0, 5, 50, 120)])


@pytest.mark.claim("schedule-default-from-config")
def test_the_default_from_config_passes_the_config_as_arguments():
    rebuilt = Halving.from_config({"every": 7})
    assert isinstance(rebuilt, Halving) and rebuilt.every == 7


@pytest.mark.claim("optimizer-learning-rate-reports-schedule-value")
def test_optimizer_learning_rate_is_the_schedule_at_the_current_step():
    schedule = Halving()
    x, y = data()
    model = model_with(schedule)
    model.fit(x, y, batch_size=4, epochs=2, verbose=0)  # 8 steps
    assert int(model.optimizer.iterations) == 8
    assert float(model.optimizer.learning_rate) == pytest.approx(0.025)


@pytest.mark.claim("saved-optimizer-carries-schedule", "reloaded-schedule-continues")
def test_a_saved_model_keeps_the_schedule_and_its_step(tmp_path):
    @keras.saving.register_keras_serializable(package="claims_schedules")
    class Saved(Halving):
        pass

    x, y = data()
    model = model_with(Saved())
    model.fit(x, y, batch_size=4, epochs=1, verbose=0)  # 4 steps
    model.save(tmp_path / "s.keras")
    loaded = keras.models.load_model(tmp_path / "s.keras")
    assert type(loaded.optimizer._learning_rate) is Saved
    assert loaded.optimizer.get_config()["learning_rate"]["config"] == {"every": 4}
    assert int(loaded.optimizer.iterations) == 4
    assert float(loaded.optimizer.learning_rate) == pytest.approx(0.05)  # not back to 0.1


@pytest.mark.claim("unregistered-schedule-needs-custom-objects")
def test_an_unregistered_schedule_needs_custom_objects(tmp_path):
    class Local(Halving):
        pass

    x, y = data()
    model = model_with(Local())
    model.fit(x, y, verbose=0)
    model.save(tmp_path / "u.keras")
    with pytest.raises(TypeError, match="Could not locate class 'Local'"):
        keras.models.load_model(tmp_path / "u.keras")
    loaded = keras.models.load_model(tmp_path / "u.keras", custom_objects={"Local": Local})
    assert type(loaded.optimizer._learning_rate) is Local


@pytest.mark.claim("lr-scheduler-calls-at-epoch-begin", "lr-scheduler-logs-rate",
                   "scheduler-callback-epoch-and-rate")
def test_learning_rate_scheduler_runs_at_epoch_begin_with_epoch_and_rate():
    calls, rates_seen = [], []

    def rule(epoch, learning_rate):
        calls.append((epoch, round(learning_rate, 6)))
        return learning_rate * 0.5

    class Probe(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            rates_seen.append(round(float(self.model.optimizer.learning_rate), 6))

    x, y = data(8)
    history = model_with(0.1).fit(x, y, batch_size=4, epochs=3, verbose=0, callbacks=[
        keras.callbacks.LearningRateScheduler(rule), Probe()])
    assert calls == [(0, 0.1), (1, 0.05), (2, 0.025)]
    assert rates_seen == [0.05, 0.05, 0.025, 0.025, 0.0125, 0.0125]
    assert history.history["learning_rate"] == pytest.approx([0.05, 0.025, 0.0125])


@pytest.mark.claim("lr-scheduler-needs-float")
def test_learning_rate_scheduler_accepts_floats_only():
    x, y = data(8)
    keras.callbacks.LearningRateScheduler(lambda epoch: np.float32(0.01))  # NumPy floats pass
    model = model_with(0.1)
    model.fit(x, y, verbose=0, callbacks=[keras.callbacks.LearningRateScheduler(
        lambda epoch: np.float32(0.01))])
    assert float(model.optimizer.learning_rate) == pytest.approx(0.01)
    with pytest.raises(ValueError, match="should be a float"):
        model.fit(x, y, verbose=0, callbacks=[keras.callbacks.LearningRateScheduler(lambda epoch: 1)])


@pytest.mark.claim("scheduler-callback-not-saved", "scheduler-callback-resumes-from-initial-epoch")
def test_the_callback_leaves_only_the_last_rate_and_restarts_at_initial_epoch(tmp_path):
    epochs = []

    def rule(epoch, learning_rate):
        epochs.append(epoch)
        return 0.1 * 0.5**epoch

    x, y = data(8)
    model = model_with(0.1)
    model.fit(x, y, epochs=3, verbose=0, callbacks=[keras.callbacks.LearningRateScheduler(rule)])
    model.save(tmp_path / "c.keras")
    loaded = keras.models.load_model(tmp_path / "c.keras")
    assert loaded.optimizer.get_config()["learning_rate"] == pytest.approx(0.025)
    loaded.fit(x, y, epochs=5, initial_epoch=3, verbose=0,
               callbacks=[keras.callbacks.LearningRateScheduler(rule)])
    assert epochs == [0, 1, 2, 3, 4]


@pytest.mark.claim("decay-ignored-rate-stays-constant")
def test_keras3_ignores_decay_and_keeps_the_rate():
    with pytest.warns(UserWarning, match="`decay` is no longer supported"):
        optimizer = keras.optimizers.SGD(learning_rate=0.1, decay=0.5)
    variable = keras.Variable(np.zeros(1, "float32"))
    for _ in range(3):
        optimizer.apply_gradients([(np.ones(1, "float32"), variable)])
    np.testing.assert_allclose(variable.numpy(), [-0.3], rtol=1e-6)
    assert "decay" not in optimizer.get_config()


@pytest.mark.claim("keras2-decay-version-dependent", "inverse-time-decay-matches-keras2-decay")
def test_tf_keras_decay_refused_by_default_optimizers_applied_by_legacy_ones():
    import tensorflow as tf
    import tf_keras

    # TF 2.11-2.15 and tf_keras today: the default optimizers refuse `decay`.
    with pytest.raises(ValueError, match="decay is deprecated in the new TF-Keras optimizer"):
        tf_keras.optimizers.SGD(learning_rate=0.1, decay=1e-4)
    # The legacy optimizers (TF <= 2.10's default): lr / (1 + decay * step).
    inverse_time = keras.optimizers.schedules.InverseTimeDecay(0.1, decay_steps=1, decay_rate=1e-4)
    for step in (0, 1000, 10000):
        legacy = tf_keras.optimizers.legacy.SGD(learning_rate=0.1, decay=1e-4)
        variable = tf.Variable([0.0])
        legacy.apply_gradients([(tf.constant([1.0]), variable)])  # creates the step counter
        variable.assign([0.0])
        legacy.iterations.assign(step)
        legacy.apply_gradients([(tf.constant([1.0]), variable)])
        expected = 0.1 / (1 + 1e-4 * step)
        assert -float(variable[0]) == pytest.approx(expected, rel=1e-6)
        assert float(inverse_time(step)) == pytest.approx(expected, rel=1e-6)
