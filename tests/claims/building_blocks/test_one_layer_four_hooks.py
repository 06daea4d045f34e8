"""Claim checks for docs/<lang>/building-blocks/one-layer-four-hooks.md."""

import json
import zipfile

import numpy as np
import keras
import pytest

CALLS = {"activation": 0, "initializer": 0, "regularizer": 0, "constraint": 0}


@keras.saving.register_keras_serializable(package="claims_four_hooks")
def counted_softplus(z):
    CALLS["activation"] += 1
    return keras.ops.softplus(z)


@keras.saving.register_keras_serializable(package="claims_four_hooks")
class CountedNormal(keras.initializers.Initializer):
    def __call__(self, shape, dtype=None):
        CALLS["initializer"] += 1
        return keras.random.normal(shape, stddev=0.5, dtype=dtype, seed=3)


@keras.saving.register_keras_serializable(package="claims_four_hooks")
class CountedL1(keras.regularizers.Regularizer):
    def __call__(self, weights):
        CALLS["regularizer"] += 1
        return 0.01 * keras.ops.sum(keras.ops.abs(weights))

    def get_config(self):
        return {}


@keras.saving.register_keras_serializable(package="claims_four_hooks")
class CountedNonNegative(keras.constraints.Constraint):  # no get_config of its own
    def __call__(self, weights):
        CALLS["constraint"] += 1
        return keras.ops.maximum(weights, 0.0)


def build():
    for key in CALLS:
        CALLS[key] = 0
    keras.utils.set_random_seed(7)
    hidden = keras.layers.Dense(4, activation=counted_softplus, kernel_initializer=CountedNormal(),
                                kernel_regularizer=CountedL1(), kernel_constraint=CountedNonNegative())
    model = keras.Sequential([keras.Input((3,)), hidden, keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse", metrics=["mse"], run_eagerly=True)
    return model, hidden


rng = np.random.default_rng(0)
X = rng.uniform(size=(8, 3)).astype("float32")
Y = X.sum(axis=1, keepdims=True).astype("float32")


@pytest.mark.claim("initializer-called-once-at-build", "dense-built-before-training")
def test_initializer_runs_once_when_the_layer_is_built():
    model, hidden = build()
    assert hidden.built and CALLS["initializer"] == 1
    model.fit(X, Y, batch_size=4, epochs=2, verbose=0)
    model.predict(X, verbose=0)
    assert CALLS["initializer"] == 1


@pytest.mark.claim("activation-runs-on-every-call")
def test_activation_runs_on_every_call_on_the_affine_output():
    model, hidden = build()
    before = CALLS["activation"]
    outputs = keras.ops.convert_to_numpy(hidden(X))
    hidden(X)
    assert CALLS["activation"] - before == 2
    kernel, bias = (keras.ops.convert_to_numpy(w) for w in hidden.weights)
    np.testing.assert_allclose(outputs, np.log1p(np.exp(X @ kernel + bias)), rtol=1e-5)


@pytest.mark.claim("regularizer-runs-when-losses-read-if-trainable")
def test_regularizer_runs_on_each_read_of_losses_only_while_trainable():
    model, hidden = build()
    start = CALLS["regularizer"]
    model.losses
    model.losses
    assert CALLS["regularizer"] - start == 2
    penalty = float(keras.ops.sum(model.losses))
    y_pred = model(X)
    with_penalty = float(model.compute_loss(X, Y, y_pred))
    hidden.trainable = False
    assert model.losses == []
    without_penalty = float(model.compute_loss(X, Y, y_pred))
    assert with_penalty - without_penalty == pytest.approx(penalty, abs=1e-5) and penalty > 0


@pytest.mark.claim("constraint-runs-after-every-update", "constraint-zeroes-negative-entries")
def test_constraint_runs_after_every_update_of_the_kernel():
    model, hidden = build()
    assert CALLS["constraint"] == 0
    model.fit(X, Y, batch_size=4, epochs=2, verbose=0)
    assert int(model.optimizer.iterations) == 4
    assert CALLS["constraint"] == 4
    assert keras.ops.convert_to_numpy(hidden.kernel).min() >= 0.0


@pytest.mark.claim("constraint-not-applied-to-initial-values")
def test_constraint_leaves_initial_values_alone():
    model, hidden = build()
    assert CALLS["constraint"] == 0
    assert (keras.ops.convert_to_numpy(hidden.kernel) < 0).sum() > 0


@pytest.mark.claim("reported-loss-adds-penalty-metric-does-not")
def test_reported_loss_is_mse_plus_penalty():
    model, hidden = build()
    report = model.evaluate(X, Y, verbose=0, return_dict=True)
    penalty = float(keras.ops.sum(model.losses))
    mse = float(np.mean((Y - model.predict(X, verbose=0)) ** 2))
    assert report["mse"] == pytest.approx(mse, rel=1e-5)
    assert report["loss"] == pytest.approx(mse + penalty, rel=1e-5) and penalty > 0.001


@pytest.mark.claim("nonnegative-needs-no-get-config", "saved-file-holds-registered-names")
def test_saved_file_stores_registered_names_and_configs(tmp_path):
    model, hidden = build()
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        config = json.loads(archive.read("config.json"))
    dense = config["config"]["layers"][1]["config"]
    assert dense["activation"]["config"] == "claims_four_hooks>counted_softplus"
    assert dense["kernel_constraint"]["registered_name"] == "claims_four_hooks>CountedNonNegative"
    assert dense["kernel_constraint"]["config"] == {}
    assert dense["kernel_regularizer"]["registered_name"] == "claims_four_hooks>CountedL1"
    reloaded = keras.models.load_model(tmp_path / "m.keras")
    assert type(reloaded.layers[0].kernel_constraint) is CountedNonNegative
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(reloaded.layers[0].kernel),
                                  keras.ops.convert_to_numpy(hidden.kernel))


@pytest.mark.claim("reloaded-model-keeps-hooks-in-training")
def test_reloaded_model_trains_with_the_same_hooks(tmp_path):
    model, _ = build()
    model.save(tmp_path / "m.keras")
    reloaded = keras.models.load_model(tmp_path / "m.keras")
    reloaded.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse", run_eagerly=True)
    counts = dict(CALLS)
    reloaded.fit(X, Y, batch_size=4, epochs=1, verbose=0)
    assert CALLS["constraint"] - counts["constraint"] == 2
    assert CALLS["regularizer"] > counts["regularizer"]
    assert CALLS["activation"] > counts["activation"]
    assert keras.ops.convert_to_numpy(reloaded.layers[0].kernel).min() >= 0.0
