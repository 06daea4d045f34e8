"""Claim checks for docs/<lang>/training/optimizers.md."""

import warnings

import numpy as np
import keras
import pytest
import tensorflow as tf


class PlainSGD(keras.optimizers.Optimizer):
    """w -= lr * g, written with the optimizer's or the variable's own assign methods."""

    def __init__(self, learning_rate=0.1, use_variable_methods=False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.use_variable_methods = use_variable_methods
        self.build_calls, self.steps = 0, []

    def build(self, var_list):
        self.build_calls += 1
        if self.built:
            return
        super().build(var_list)

    def update_step(self, gradient, variable, learning_rate):
        self.steps.append((self._get_variable_index(variable), type(gradient).__name__,
                           learning_rate))
        delta = keras.ops.cast(learning_rate, variable.dtype) * gradient
        if self.use_variable_methods:
            variable.assign_sub(delta)
        else:
            self.assign_sub(variable, delta)


def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 3)).astype("float32")
    return x, x @ np.array([[1.0], [-2.0], [0.5]], "float32")


def model_with(optimizer, run_eagerly=True):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), keras.layers.Dense(1)])
    model.compile(optimizer=optimizer, loss="mse", run_eagerly=run_eagerly)
    return model


@pytest.mark.claim("fit-calls-apply-gradients-per-batch")
def test_fit_hands_gradients_to_apply_gradients_once_per_batch():
    calls = []

    class Spy(keras.optimizers.SGD):
        def apply_gradients(self, grads_and_vars):
            pairs = list(grads_and_vars)
            calls.append(len(pairs))
            return super().apply_gradients(pairs)

    x, y = data()
    model_with(Spy(0.1)).fit(x, y, batch_size=4, epochs=2, verbose=0)
    assert calls == [4, 4, 4, 4]  # 4 batches, 4 trainable weights each


@pytest.mark.claim("build-once-update-step-per-weight", "get-variable-index-position")
def test_build_runs_once_and_update_step_once_per_weight_and_step():
    x, y = data()
    optimizer = PlainSGD(0.1)
    model_with(optimizer).fit(x, y, batch_size=4, epochs=2, verbose=0)
    assert optimizer.build_calls == 1
    # 4 steps x 4 weights, in the order of the list given to build, with a computed rate
    assert [index for index, _, _ in optimizer.steps] == [0, 1, 2, 3] * 4
    assert all(rate is optimizer.variables[1] for _, _, rate in optimizer.steps)
    assert optimizer.variables[1].path == "plain_sgd/learning_rate"

    schedule = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=1, decay_rate=0.5)
    scheduled = PlainSGD(schedule)
    model_with(scheduled).fit(x, y, batch_size=4, epochs=1, verbose=0)
    rates = [float(rate) for _, _, rate in scheduled.steps]
    assert rates == pytest.approx([0.1] * 4 + [0.05] * 4)


@pytest.mark.claim("base-class-handles-clipping")
def test_the_base_class_applies_clipvalue_for_a_custom_optimizer():
    variable = keras.Variable(np.zeros(2, "float32"))
    optimizer = PlainSGD(1.0, clipvalue=0.5)
    optimizer.apply_gradients([(np.array([3.0, -0.2], "float32"), variable)])
    np.testing.assert_allclose(variable.numpy(), [-0.5, 0.2], rtol=1e-6)


@pytest.mark.claim("optimizer-attributes-before-super-refused")
def test_attributes_set_before_super_init_are_refused():
    class Early(keras.optimizers.Optimizer):
        def __init__(self, learning_rate=0.1, **kwargs):
            self.momentum = 0.9
            super().__init__(learning_rate=learning_rate, **kwargs)

    with pytest.raises(RuntimeError, match="super"):
        Early()


@pytest.mark.claim("builtin-build-idempotent")
def test_a_second_build_of_a_builtin_optimizer_creates_no_variables():
    weights = [keras.Variable(np.zeros((2, 2), "float32")), keras.Variable(np.zeros(2, "float32"))]
    optimizer = keras.optimizers.SGD(0.1, momentum=0.9)
    optimizer.build(weights)
    count = len(optimizer.variables)
    optimizer.build(weights)
    assert count == 4 and len(optimizer.variables) == 4


@pytest.mark.claim("optimizer-assign-backend-specific")
def test_variable_methods_work_but_self_assign_handles_indexed_slices():
    x, y = data()
    own = model_with(PlainSGD(0.1), run_eagerly=False)
    own.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    variable_methods = model_with(PlainSGD(0.1, use_variable_methods=True), run_eagerly=False)
    variable_methods.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    for a, b in zip(own.get_weights(), variable_methods.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert not np.allclose(own.get_weights()[0], model_with(PlainSGD(0.1)).get_weights()[0])

    # On TensorFlow, self.assign_sub turns an IndexedSlices value into a scatter update.
    table = keras.Variable(np.ones((3, 2), "float32"))
    optimizer = PlainSGD(0.1)
    sparse = tf.IndexedSlices(tf.constant([[5.0, 5.0]]), tf.constant([1]), tf.constant([3, 2]))
    optimizer.assign_sub(table, sparse)
    np.testing.assert_array_equal(table.numpy(), [[1, 1], [-4, -4], [1, 1]])


@pytest.mark.claim("update-step-receives-sparse-gradients")
def test_update_step_receives_the_sparse_gradient_of_an_embedding():
    optimizer = PlainSGD(0.1)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((2,), dtype="int32"), keras.layers.Embedding(5, 2),
                              keras.layers.Flatten(), keras.layers.Dense(1)])
    model.compile(optimizer=optimizer, loss="mse", run_eagerly=True)
    model.fit(np.array([[0, 1], [2, 3]]), np.zeros((2, 1), "float32"), verbose=0)
    assert [kind for _, kind, _ in optimizer.steps] == ["IndexedSlices", "EagerTensor", "EagerTensor"]


@pytest.mark.claim("base-optimizer-config-keys")
def test_base_config_holds_the_learning_rate_and_common_arguments():
    config = PlainSGD(0.25, clipnorm=1.0).get_config()
    assert config["learning_rate"] == 0.25 and config["clipnorm"] == 1.0
    assert {"name", "weight_decay", "use_ema", "gradient_accumulation_steps"} <= set(config)
    assert "use_variable_methods" not in config  # subclass hyperparameters are yours to add


@pytest.mark.claim("saved-model-restores-optimizer-variables", "optimizer-slot-variables-tracked")
def test_a_saved_model_restores_the_optimizer_variables(tmp_path):
    x, y = data()
    model = model_with(keras.optimizers.SGD(0.05, momentum=0.9), run_eagerly=False)
    model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert int(loaded.optimizer.iterations) == 2
    assert len(loaded.optimizer.variables) == 6  # iteration, learning rate, 4 momentums
    assert np.abs(model.optimizer.variables[-1].numpy()).sum() > 0
    for a, b in zip(model.optimizer.variables, loaded.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


@pytest.mark.claim("registered-optimizer-loads-without-arguments", "subclass-not-registered")
def test_registration_is_stored_and_is_not_inherited(tmp_path):
    @keras.saving.register_keras_serializable(package="claims_optimizers")
    class Registered(PlainSGD):
        pass

    class Child(Registered):
        pass

    assert keras.saving.get_registered_name(Registered) == "claims_optimizers>Registered"
    assert keras.saving.get_registered_name(Child) == "Child"
    x, y = data()
    model = model_with(Registered(0.05), run_eagerly=False)
    model.fit(x, y, batch_size=4, verbose=0)
    model.save(tmp_path / "r.keras")
    assert type(keras.models.load_model(tmp_path / "r.keras").optimizer) is Registered


@pytest.mark.claim("learning-rate-stored-float32")
def test_the_learning_rate_is_a_float32_variable():
    optimizer = keras.optimizers.SGD(0.05)
    assert optimizer.learning_rate.dtype == "float32"
    assert optimizer.get_config()["learning_rate"] == 0.05000000074505806


@pytest.mark.claim("optimizer-lr-argument-unrecognized")
def test_lr_is_an_unrecognized_argument():
    with pytest.raises(ValueError, match=r"Argument\(s\) not recognized: \{'lr': 0.1\}"):
        keras.optimizers.SGD(lr=0.1)


@pytest.mark.claim("optimizer-decay-argument-ignored")
def test_decay_is_ignored_with_a_warning():
    with pytest.warns(UserWarning, match="`decay` is no longer supported and will be ignored"):
        optimizer = keras.optimizers.SGD(learning_rate=0.1, decay=0.5)
    variable = keras.Variable(np.zeros(1, "float32"))
    for _ in range(3):
        optimizer.apply_gradients([(np.ones(1, "float32"), variable)])
    np.testing.assert_allclose(variable.numpy(), [-0.3], rtol=1e-6)
