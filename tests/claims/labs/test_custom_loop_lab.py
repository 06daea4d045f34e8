"""Claim checks for docs/<lang>/labs/custom-loop-lab.md."""

import numpy as np
import keras
import pytest
import tensorflow as tf


def xy(rows=8):
    x = np.arange(rows * 2, dtype="float32").reshape(rows, 2) / 10
    return x, np.arange(rows, dtype="float32").reshape(-1, 1)


def tiny_model(**dense_kwargs):
    keras.utils.set_random_seed(0)
    return keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1, **dense_kwargs)])


class RecordingSchedule(keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self):
        self.steps = []

    def __call__(self, step):
        self.steps.append((int(keras.ops.convert_to_numpy(step)), keras.backend.standardize_dtype(step.dtype)))
        return 0.01 * keras.ops.cast(step + 1, "float32")


@pytest.mark.claim("unshuffled-dataset-same-order-each-pass")
def test_an_unshuffled_dataset_repeats_its_order():
    dataset = tf.data.Dataset.range(10).batch(3)
    first = [batch.numpy().tolist() for batch in dataset]
    assert first == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    assert [batch.numpy().tolist() for batch in dataset] == first


@pytest.mark.claim("seeded-pipeline-new-order-each-pass")
def test_a_seeded_pipeline_changes_order_between_passes():
    dataset = tf.data.Dataset.range(12).shuffle(12, seed=0)
    first, second = [int(i) for i in dataset], [int(i) for i in dataset]
    assert sorted(first) == sorted(second) and first != second


@pytest.mark.claim("schedule-receives-step-from-zero", "apply-uses-schedule-and-counts-step")
def test_apply_calls_the_schedule_with_the_integer_step_then_counts_it():
    schedule = RecordingSchedule()
    variable = keras.Variable(np.zeros(1, "float32"))
    optimizer = keras.optimizers.SGD(learning_rate=schedule)
    for _ in range(2):
        optimizer.apply([np.ones(1, "float32")], [variable])
    called_with = [step for step, _ in schedule.steps]
    assert called_with[0] == 0 and called_with[-1] == 1
    assert all(dtype.startswith("int") for _, dtype in schedule.steps)
    assert int(optimizer.iterations) == 2
    np.testing.assert_allclose(keras.ops.convert_to_numpy(variable), [-0.03], rtol=1e-6)


@pytest.mark.claim("python-if-fails-in-compiled-schedule")
def test_a_python_if_on_the_step_fails_inside_fit():
    class IfSchedule(keras.optimizers.schedules.LearningRateSchedule):
        def __call__(self, step):
            if step < 2:
                return 0.01
            return 0.001

    x, y = xy()
    model = tiny_model()
    model.compile(optimizer=keras.optimizers.SGD(IfSchedule()), loss="mse")
    with pytest.raises(TypeError, match="tf.Tensor` as a Python `bool` is not allowed"):
        model.fit(x, y, epochs=1, verbose=0)


@pytest.mark.claim("fit-adds-model-losses")
def test_fit_trains_on_the_loss_plus_model_losses():
    x, y = xy()
    model = tiny_model(kernel_initializer="ones", kernel_regularizer=keras.regularizers.L2(0.5))
    penalty = float(keras.ops.sum(model.losses))
    assert penalty == pytest.approx(1.0)
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse", run_eagerly=True)
    reported = model.fit(x, y, batch_size=8, epochs=1, verbose=0).history["loss"][0]
    mse = float(np.mean((keras.ops.convert_to_numpy(model(x)) - y) ** 2))
    assert reported == pytest.approx(mse + penalty, rel=1e-5)


@pytest.mark.claim("fit-metrics-see-training-pass")
def test_fit_metrics_use_the_predictions_made_before_the_update():
    x, y = xy()
    model = tiny_model()
    before = keras.ops.convert_to_numpy(model(x))
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse", metrics=["mae"],
                  run_eagerly=True)
    mae = model.fit(x, y, batch_size=8, epochs=1, verbose=0).history["mae"][0]
    after = keras.ops.convert_to_numpy(model(x))
    assert mae == pytest.approx(float(np.mean(np.abs(before - y))), rel=1e-5)
    assert mae != pytest.approx(float(np.mean(np.abs(after - y))), rel=1e-3)


@pytest.mark.claim("metric-accumulates-until-reset")
def test_a_metric_averages_everything_since_its_last_reset():
    mean = keras.metrics.Mean()
    mean.update_state([1.0, 1.0])
    mean.update_state([4.0, 4.0])
    assert float(mean.result()) == 2.5
    mean.reset_state()
    mean.update_state([4.0, 4.0])
    assert float(mean.result()) == 4.0


@pytest.mark.claim("learning-rate-reads-schedule-at-iterations")
def test_learning_rate_property_evaluates_the_schedule_at_the_step_counter():
    schedule = RecordingSchedule()
    variable = keras.Variable(np.zeros(1, "float32"))
    optimizer = keras.optimizers.SGD(learning_rate=schedule)
    optimizer.apply([np.ones(1, "float32")], [variable])
    optimizer.apply([np.ones(1, "float32")], [variable])
    assert float(optimizer.learning_rate) == pytest.approx(0.03)  # schedule(2)


@pytest.mark.claim("fit-reads-dataset-in-order")
def test_fit_reads_a_dataset_in_the_order_it_gives():
    seen = []

    class Record(keras.metrics.Metric):
        def update_state(self, y_true, y_pred, sample_weight=None):
            seen.extend(float(v) for v in keras.ops.convert_to_numpy(y_true).ravel())

        def result(self):
            return 0.0

    x, y = xy()
    model = tiny_model()
    model.compile(optimizer="sgd", loss="mse", metrics=[Record()], run_eagerly=True)
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(2)
    with pytest.warns(UserWarning, match="`shuffle=True` was passed, but will be ignored"):
        model.fit(dataset, epochs=2, shuffle=True, verbose=0)
    assert seen == list(range(8)) * 2


@keras.saving.register_keras_serializable(package="claims_lab")
class HalvingSchedule(keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self, start=0.1):
        self.start = start

    def __call__(self, step):
        return self.start / (keras.ops.cast(step, "float32") + 1.0)

    def get_config(self):
        return {"start": self.start}


@pytest.mark.claim("compiled-file-holds-optimizer-schedule", "optimizer-config-holds-schedule",
                   "reloaded-optimizer-resumes-schedule")
def test_the_file_keeps_the_schedule_and_the_step_counter(tmp_path):
    x, y = xy()
    model = tiny_model()
    model.compile(optimizer=keras.optimizers.SGD(HalvingSchedule(0.2)), loss="mse",
                  metrics=["mae"], run_eagerly=True)
    model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    reloaded = keras.models.load_model(tmp_path / "m.keras")
    saved = reloaded.optimizer.get_config()["learning_rate"]
    assert saved["registered_name"] == "claims_lab>HalvingSchedule"
    assert saved["config"] == {"start": 0.2}
    assert type(reloaded.optimizer.learning_rate) is not HalvingSchedule  # evaluated, a tensor
    assert int(reloaded.optimizer.iterations) == 2
    assert float(reloaded.optimizer.learning_rate) == pytest.approx(0.2 / 3)
    assert reloaded.get_compile_config()["loss"] == "mse"


@pytest.mark.claim("dropout-acts-only-in-training")
def test_dropout_changes_values_only_with_training_true():
    dropout = keras.layers.Dropout(0.1, seed=2)
    values = np.ones((4, 16), dtype="float32")
    trained = keras.ops.convert_to_numpy(dropout(values, training=True))
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(dropout(values, training=False)), values)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(dropout(values)), values)
    assert (trained == 0.0).any()
    np.testing.assert_allclose(trained[trained != 0.0], 1.0 / 0.9, rtol=1e-6)
