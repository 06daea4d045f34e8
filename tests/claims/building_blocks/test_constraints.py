"""Claim checks for docs/<lang>/building-blocks/constraints.md."""

import numpy as np
import keras
import pytest

from tools import compat


def non_negative(weights):
    return keras.ops.maximum(weights, 0.0)


@keras.saving.register_keras_serializable(package="claims_constraints")
class Clip(keras.constraints.Constraint):
    def __init__(self, limit=1.0):
        self.limit = limit

    def __call__(self, weights):
        return keras.ops.clip(weights, -self.limit, self.limit)


def layer_with(constraint, value=-0.5):
    layer = keras.layers.Dense(
        1, kernel_initializer=keras.initializers.Constant(value), kernel_constraint=constraint
    )
    layer.build((None, 3))
    return layer


@pytest.mark.claim("constraint-not-in-loss")
def test_a_constraint_adds_nothing_to_the_loss():
    keras.utils.set_random_seed(0)
    x = np.ones((4, 3), "float32")
    y = np.full((4, 1), 5.0, "float32")
    results = {}
    for name, constraint in (("free", None), ("constrained", non_negative)):
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, kernel_initializer="ones", kernel_constraint=constraint)])
        model.compile(optimizer="sgd", loss="mse")
        assert model.losses == []
        results[name] = model.evaluate(x, y, verbose=0)
    assert results["free"] == pytest.approx(results["constrained"])
    assert results["free"] == pytest.approx(4.0)


@pytest.mark.claim("tf-keras-2-optimizers-apply-constraints")
def test_tf_keras_apply_gradients_also_applies_constraints():
    import tensorflow as tf
    import tf_keras

    for optimizer in (tf_keras.optimizers.SGD(0.1), tf_keras.optimizers.legacy.SGD(0.1)):
        layer = tf_keras.layers.Dense(1, kernel_initializer=tf_keras.initializers.Constant(-0.5),
                                      kernel_constraint=tf_keras.constraints.NonNeg())
        layer.build((None, 3))
        gradient = tf.ones_like(layer.kernel)
        optimizer.apply_gradients([(gradient, layer.kernel)])
        assert np.array_equal(layer.kernel.numpy(), np.zeros((3, 1), "float32"))
    unconstrained = tf_keras.layers.Dense(1, kernel_initializer=tf_keras.initializers.Constant(-0.5))
    unconstrained.build((None, 3))
    tf_keras.optimizers.SGD(0.1).apply_gradients([(tf.ones_like(unconstrained.kernel), unconstrained.kernel)])
    assert np.allclose(unconstrained.kernel.numpy(), -0.6)


@pytest.mark.claim("constraint-applied-in-apply-gradients", "custom-loop-gets-the-projection")
def test_keras_3_apply_gradients_projects_after_the_update():
    layer = layer_with(non_negative, value=-0.5)
    optimizer = keras.optimizers.SGD(0.1)
    optimizer.apply_gradients([(keras.ops.full((3, 1), -1.0), layer.kernel)])
    # -0.5 + 0.1 = -0.4 after the update, then projected to 0.
    assert np.array_equal(keras.ops.convert_to_numpy(layer.kernel), np.zeros((3, 1)))
    layer = layer_with(non_negative, value=-0.5)
    keras.optimizers.SGD(0.1).apply_gradients([(keras.ops.full((3, 1), -10.0), layer.kernel)])
    assert np.allclose(keras.ops.convert_to_numpy(layer.kernel), 0.5)


@pytest.mark.claim("set-weights-and-load-bypass-constraint")
def test_set_weights_and_load_weights_do_not_project(tmp_path):
    layer = layer_with(non_negative, value=0.5)
    layer.set_weights([-np.ones((3, 1), "float32"), np.zeros(1, "float32")])
    assert np.array_equal(keras.ops.convert_to_numpy(layer.kernel), -np.ones((3, 1)))

    source = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, kernel_initializer=keras.initializers.Constant(-2.0))])
    source.save_weights(tmp_path / "negative.weights.h5")
    target = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, kernel_constraint=non_negative)])
    target.load_weights(tmp_path / "negative.weights.h5")
    assert np.array_equal(keras.ops.convert_to_numpy(target.layers[0].kernel), np.full((3, 1), -2.0))


@pytest.mark.claim("constraint-base-get-config-empty")
def test_base_constraint_get_config_is_empty_and_saving_does_not_complain(tmp_path):
    assert Clip(0.25).get_config() == {}
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, kernel_constraint=Clip(0.25))])
    model.save(tmp_path / "c.keras")
    assert model.layers[0].get_config()["kernel_constraint"]["config"] == {}


@pytest.mark.claim("constraint-default-replaces-trained-value")
def test_missing_get_config_with_a_default_reloads_the_default(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, kernel_constraint=Clip(0.25))])
    model.save(tmp_path / "d.keras")
    restored = keras.models.load_model(tmp_path / "d.keras")
    assert restored.layers[0].kernel_constraint.limit == 1.0


@pytest.mark.claim("constraint-holds-after-fit-and-train-on-batch")
def test_fit_and_train_on_batch_leave_the_weight_projected():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 3)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]])).astype("float32")
    for step in ("fit", "train_on_batch"):
        keras.utils.set_random_seed(3)
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, kernel_constraint=non_negative)])
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
        if step == "fit":
            model.fit(x, y, epochs=2, batch_size=4, verbose=0)
        else:
            model.train_on_batch(x, y)
        kernel = keras.ops.convert_to_numpy(model.layers[0].kernel).ravel()
        assert kernel.min() == 0.0 and kernel[1] == 0.0


@pytest.mark.claim("constraint-not-applied-at-creation")
def test_the_initial_value_is_not_projected():
    layer = layer_with(non_negative, value=-0.5)
    assert np.array_equal(keras.ops.convert_to_numpy(layer.kernel), np.full((3, 1), -0.5))


@pytest.mark.claim("direct-assign-bypasses-constraint")
def test_assign_does_not_project():
    layer = layer_with(non_negative, value=0.5)
    layer.kernel.assign(-np.ones((3, 1), "float32"))
    assert np.array_equal(keras.ops.convert_to_numpy(layer.kernel), -np.ones((3, 1)))


# A statement about older Keras releases: only the pinned release is installed here, so this
# reads what `python3 dev.py compat` recorded when it ran this page's blocks and checks on them
# (data/compatibility.yml, shown on the compatibility page).

@pytest.mark.claim("function-constraint-refused-before-3-15")
def test_older_releases_refuse_a_function_constraint():
    assert compat.releases_recording("building-blocks/constraints.md",
                                     "Invalid value for attribute `constraint`. Expected an instance of "
                                     "`keras.constraints.Constraint`, or `None`.") == ["3.13.2", "3.14.1"]
