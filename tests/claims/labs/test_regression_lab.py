"""Claim checks for docs/<lang>/labs/regression-lab.md."""

import random
import warnings

import numpy as np
import keras
import pytest
import tensorflow as tf


def tiny_model(**dense_kwargs):
    return keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1, **dense_kwargs)])


def xy(rows=8):
    x = np.arange(rows * 2, dtype="float32").reshape(rows, 2) / 10
    return x, x.sum(axis=1, keepdims=True)


@pytest.mark.claim("set-random-seed-seeds-all-generators")
def test_set_random_seed_repeats_python_numpy_tf_keras_and_the_pipeline():
    def draw():
        keras.utils.set_random_seed(0)
        pipeline = tf.data.Dataset.range(10).shuffle(10)  # no op seed: the global one decides
        return (random.random(), float(np.random.rand()), float(tf.random.uniform(())),
                float(keras.random.uniform(())), [int(i) for i in pipeline])

    first, second = draw(), draw()
    assert first == second
    keras.utils.set_random_seed(1)
    assert [int(i) for i in tf.data.Dataset.range(10).shuffle(10)] != first[-1]


@pytest.mark.claim("seeded-shuffle-reshuffles-each-epoch")
def test_a_seeded_shuffle_gives_a_new_order_at_every_pass_but_the_same_sequence():
    def passes():
        pipeline = tf.data.Dataset.range(12).shuffle(12, seed=0)
        return [[int(i) for i in pipeline] for _ in range(3)]

    first = passes()
    assert first[0] != first[1] != first[2]
    assert passes() == first


def order_seen_by_fit(x, y=None, **fit_kwargs):
    seen = []

    class Record(keras.metrics.Metric):
        def update_state(self, y_true, y_pred, sample_weight=None):
            seen.extend(float(v) for v in keras.ops.convert_to_numpy(y_true).ravel())

        def result(self):
            return 0.0

    model = tiny_model()
    model.compile(optimizer="sgd", loss="mse", metrics=[Record()], run_eagerly=True)
    model.fit(x, y, epochs=1, verbose=0, **fit_kwargs)
    return seen


@pytest.mark.claim("fit-shuffles-arrays-by-default")
def test_fit_shuffles_numpy_arrays_unless_told_not_to():
    keras.utils.set_random_seed(0)
    x, _ = xy()
    y = np.arange(8, dtype="float32").reshape(-1, 1)
    shuffled = order_seen_by_fit(x, y, batch_size=4)
    assert sorted(shuffled) == list(range(8)) and shuffled != list(range(8))
    assert order_seen_by_fit(x, y, batch_size=4, shuffle=False) == list(range(8))


@pytest.mark.claim("fit-never-shuffles-tf-data")
def test_fit_reads_a_dataset_in_its_own_order_and_warns_on_shuffle_true():
    x, _ = xy()
    y = np.arange(8, dtype="float32").reshape(-1, 1)
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(2)
    with pytest.warns(UserWarning, match="`shuffle=True` was passed, but will be ignored"):
        assert order_seen_by_fit(dataset, shuffle=True) == list(range(8))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert order_seen_by_fit(dataset, shuffle=False) == list(range(8))


@pytest.mark.claim("registered-function-config-is-its-name", "registered-pieces-found-by-name")
def test_a_registered_function_is_serialized_as_its_name():
    @keras.saving.register_keras_serializable(package="claims_lab")
    def claims_swish(x):
        return x * keras.ops.sigmoid(x)

    entry = keras.saving.serialize_keras_object(claims_swish)
    assert entry["class_name"] == "function" and entry["config"] == "claims_lab>claims_swish"
    assert keras.saving.deserialize_keras_object(entry) is claims_swish


@pytest.mark.claim("unseeded-initializer-follows-global-seed")
def test_an_unseeded_initializer_follows_set_random_seed():
    def draw(seed):
        keras.utils.set_random_seed(seed)
        return keras.ops.convert_to_numpy(keras.random.normal((3,), seed=None))

    np.testing.assert_array_equal(draw(5), draw(5))
    assert not np.array_equal(draw(5), draw(6))


@pytest.mark.claim("regularizer-penalty-added-to-training-loss")
def test_the_penalty_is_in_model_losses_and_in_the_loss_of_each_step():
    x, y = xy()
    model = tiny_model(kernel_initializer="ones", kernel_regularizer=keras.regularizers.L1(0.5))
    assert [float(v) for v in model.losses] == [1.0]
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse", run_eagerly=True)
    reported = model.fit(x, y, batch_size=8, epochs=1, verbose=0).history["loss"][0]
    mse = float(np.mean((keras.ops.convert_to_numpy(model(x)) - y) ** 2))
    assert reported == pytest.approx(mse + 1.0, rel=1e-5)


@pytest.mark.claim("optimizer-assigns-constraint-result", "constraint-applied-after-each-update")
def test_the_optimizer_assigns_what_the_constraint_returns_after_the_update():
    class Clip(keras.constraints.Constraint):
        def __call__(self, weight):
            return keras.ops.clip(weight, 0.0, 1.0)

    layer = keras.layers.Layer()
    variable = layer.add_weight(shape=(2,), initializer="zeros", constraint=Clip())
    variable.assign(np.array([0.5, 0.5], "float32"))
    keras.optimizers.SGD(1.0).apply([np.array([1.0, -1.0], "float32")], [variable])
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(variable), [0.0, 1.0])
    variable.assign(np.array([-3.0, 3.0], "float32"))  # no update: no projection
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(variable), [-3.0, 3.0])


@pytest.mark.claim("get-accepts-name-instance-config-none")
def test_the_get_functions_accept_four_forms():
    assert type(keras.initializers.get("ones")) is keras.initializers.Ones
    instance = keras.regularizers.L1(0.2)
    assert keras.regularizers.get(instance) is instance
    rebuilt = keras.constraints.get(keras.constraints.serialize(keras.constraints.NonNeg()))
    assert type(rebuilt) is keras.constraints.NonNeg
    assert keras.initializers.get(None) is None and keras.regularizers.get(None) is None


@pytest.mark.claim("build-runs-on-first-input-shape")
def test_build_runs_once_with_the_first_input_shape():
    shapes = []

    class Gate(keras.layers.Layer):
        def build(self, input_shape):
            shapes.append(tuple(input_shape))
            self.gate = self.add_weight(shape=(input_shape[-1],), initializer="ones")

        def call(self, inputs):
            return inputs * self.gate

    layer = Gate()
    assert shapes == [] and not layer.built
    layer(np.ones((4, 3), "float32"))
    layer(np.ones((2, 3), "float32"))
    assert shapes == [(4, 3)] and layer.gate.shape == (3,)


@pytest.mark.claim("serialize-gives-registered-name-and-config")
def test_serialize_gives_the_registered_name_and_get_config():
    @keras.saving.register_keras_serializable(package="claims_lab")
    class Scaled(keras.regularizers.Regularizer):
        def __init__(self, factor=0.1):
            self.factor = factor

        def __call__(self, weight):
            return self.factor * keras.ops.sum(weight)

        def get_config(self):
            return {"factor": self.factor}

    entry = keras.regularizers.serialize(Scaled(0.3))
    assert isinstance(entry, dict)
    assert entry["registered_name"] == "claims_lab>Scaled" and entry["config"] == {"factor": 0.3}


@pytest.mark.claim("default-reduction-averages-over-batch")
def test_the_default_reduction_averages_the_values_of_call():
    class PerValue(keras.losses.Loss):
        def call(self, y_true, y_pred):
            return keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1)

    loss = PerValue()
    assert loss.reduction == "sum_over_batch_size"
    value = loss(np.zeros((4, 1), "float32"), np.array([[1.0], [2.0], [3.0], [6.0]], "float32"))
    assert float(value) == pytest.approx(3.0)


@pytest.mark.claim("loss-config-without-delta-falls-back")
def test_a_hyperparameter_missing_from_get_config_falls_back_to_its_default():
    class Forgetful(keras.losses.Loss):
        def __init__(self, delta=1.0, name="forgetful", **kwargs):
            super().__init__(name=name, **kwargs)
            self.delta = delta

        def call(self, y_true, y_pred):
            return keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1) * self.delta

    config = Forgetful(delta=3.0).get_config()
    assert "delta" not in config
    assert Forgetful.from_config(config).delta == 1.0


@pytest.mark.claim("add-variable-first-positional-is-shape")
def test_add_variable_takes_the_shape_first():
    metric = keras.metrics.Metric(name="m")
    state = metric.add_variable((2,), "zeros")
    assert state.shape == (2,)
    with pytest.raises(Exception):
        metric.add_variable("count", initializer="zeros")


@pytest.mark.claim("metric-reset-every-epoch")
def test_fit_resets_a_metric_at_the_start_of_every_epoch():
    x, y = xy()
    model = tiny_model()
    class Seen(keras.metrics.Metric):
        def __init__(self, name="seen", **kwargs):
            super().__init__(name=name, **kwargs)
            self.count = self.add_variable(shape=(), initializer="zeros", name="count")

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.count.assign_add(keras.ops.cast(keras.ops.shape(y_true)[0], "float32"))

        def result(self):
            return self.count

    model.compile(optimizer="sgd", loss="mse", metrics=[Seen()])
    history = model.fit(x, y, batch_size=4, epochs=3, verbose=0)
    assert history.history["seen"] == [8.0, 8.0, 8.0]


@pytest.mark.claim("evaluate-keeps-partial-last-batch")
def test_evaluate_runs_the_short_last_batch():
    sizes = []

    class Sizes(keras.metrics.Metric):
        def update_state(self, y_true, y_pred, sample_weight=None):
            sizes.append(int(keras.ops.shape(y_true)[0]))

        def result(self):
            return 0.0

    x, y = np.zeros((100, 2), "float32"), np.zeros((100, 1), "float32")
    model = tiny_model()
    model.compile(loss="mse", metrics=[Sizes()], run_eagerly=True)
    model.evaluate(x, y, batch_size=32, verbose=0)
    assert sizes == [32, 32, 32, 4]


@pytest.mark.claim("compile-config-serialized", "reloaded-model-compiled-again")
def test_compile_config_is_serialized_and_the_reloaded_model_is_compiled(tmp_path):
    model = tiny_model()
    model.compile(optimizer="adam", loss=keras.losses.MeanSquaredError(name="my_mse"),
                  metrics=[keras.metrics.MeanAbsoluteError(name="mae")])
    config = model.get_compile_config()
    assert config["loss"]["class_name"] == "MeanSquaredError"
    assert config["loss"]["config"]["name"] == "my_mse"
    assert config["metrics"][0]["class_name"] == "MeanAbsoluteError"
    model.save(tmp_path / "m.keras")
    reloaded = keras.models.load_model(tmp_path / "m.keras")
    assert reloaded.compiled and isinstance(reloaded.loss, keras.losses.MeanSquaredError)
    assert reloaded.loss.name == "my_mse"
    x, y = xy()
    assert sorted(reloaded.evaluate(x, y, verbose=0, return_dict=True)) == ["loss", "mae"]


@pytest.mark.claim("l1-alone-never-exact-zero")
def test_l1_alone_hovers_around_zero_while_a_clip_stops_at_zero():
    def train(constraint):
        layer = keras.layers.Layer()
        gate = layer.add_weight(shape=(), initializer=keras.initializers.Constant(0.2),
                                constraint=constraint, regularizer=keras.regularizers.L1(0.03))
        optimizer = keras.optimizers.Adam(learning_rate=0.03)
        values = []
        for _ in range(40):
            with tf.GradientTape() as tape:
                penalty = keras.ops.sum(layer.losses)
            optimizer.apply(tape.gradient(penalty, [gate]), [gate])
            values.append(float(gate))
        return np.array(values[-20:])

    class Clip(keras.constraints.Constraint):
        def __call__(self, weight):
            return keras.ops.clip(weight, 0.0, 1.0)

    free = train(None)
    assert np.all(np.abs(free) < 0.1) and np.all(free != 0.0)
    assert free.min() < 0.0 < free.max()
    np.testing.assert_array_equal(train(Clip()), np.zeros(20))
