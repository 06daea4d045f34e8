"""Claim checks for docs/<lang>/building-blocks/regularizers.md."""

import numpy as np
import keras
import pytest

from tools import compat


def l1_penalty(weights):
    return 0.01 * keras.ops.sum(keras.ops.abs(weights))


X = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
Y = np.random.default_rng(1).normal(size=(8, 2)).astype("float32")


def regularized_model(regularizer=l1_penalty):
    keras.utils.set_random_seed(0)
    layer = keras.layers.Dense(2, kernel_initializer="ones", kernel_regularizer=regularizer)
    model = keras.Sequential([keras.Input((3,)), layer])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", metrics=["mse"])
    return model, layer


def mse(model):
    return float(np.mean((model.predict(X, verbose=0) - Y) ** 2))


@pytest.mark.claim("regularizer-recomputed-on-read")
def test_penalty_appears_once_built_and_follows_the_current_value():
    calls = []

    def counting(weights):
        calls.append(1)
        return l1_penalty(weights)

    layer = keras.layers.Dense(2, kernel_initializer="ones", kernel_regularizer=counting)
    assert layer.losses == []
    layer.build((None, 3))
    assert [round(float(v), 4) for v in layer.losses] == [0.06]
    layer.kernel.assign(2.0 * np.ones((3, 2), "float32"))
    assert [round(float(v), 4) for v in layer.losses] == [0.12]
    assert len(calls) == 2


@pytest.mark.claim("penalty-uses-current-weights-each-step", "reported-loss-includes-penalty")
def test_each_step_loss_includes_the_penalty_of_the_current_weights():
    model, layer = regularized_model()
    for _ in range(2):
        kernel_before = layer.kernel.numpy()
        mse_before = mse(model)
        loss = model.train_on_batch(X, Y, return_dict=True)["loss"]
        assert loss == pytest.approx(mse_before + 0.01 * np.abs(kernel_before).sum(), rel=1e-5)
    report = model.evaluate(X, Y, verbose=0, return_dict=True)
    assert report["loss"] == pytest.approx(mse(model) + 0.01 * np.abs(layer.kernel.numpy()).sum(), rel=1e-5)


@pytest.mark.claim("metrics-exclude-regularization-penalty")
def test_metric_has_no_penalty():
    model, _ = regularized_model()
    report = model.evaluate(X, Y, verbose=0, return_dict=True)
    assert report["mse"] == pytest.approx(mse(model), rel=1e-5)
    assert report["loss"] - report["mse"] == pytest.approx(0.06, rel=1e-4)


@pytest.mark.claim("frozen-weights-not-regularized", "recompile-after-freezing", "unfreezing-restores-penalty")
def test_freezing_drops_the_penalty_after_compile():
    model, layer = regularized_model()
    with_penalty = model.evaluate(X, Y, verbose=0)[0]
    layer.trainable = False
    assert layer.losses == [] and model.losses == []
    assert model.evaluate(X, Y, verbose=0)[0] == pytest.approx(with_penalty)  # stale step
    model.compile(optimizer="sgd", loss="mse")
    assert model.evaluate(X, Y, verbose=0, return_dict=True)["loss"] == pytest.approx(mse(model), rel=1e-5)
    layer.trainable = True
    assert [round(float(v), 4) for v in layer.losses] == [0.06]


@pytest.mark.claim("activity-regularizer-called-each-call", "activity-penalty-divided-by-batch-size")
def test_activity_penalty_per_call_divided_by_batch_size():
    calls = []

    def activity(outputs):
        calls.append(1)
        return 0.01 * keras.ops.sum(keras.ops.abs(outputs))

    layer = keras.layers.Dense(2, kernel_initializer="ones", activity_regularizer=activity)
    layer(np.ones((4, 3), "float32"))
    assert [round(float(v), 4) for v in layer.losses] == [0.06]
    layer(np.ones((2, 3), "float32"))
    assert [round(float(v), 4) for v in layer.losses] == [0.06]  # 0.01 * 12 / 2; replaced, not added
    assert len(calls) == 2


@pytest.mark.claim("regularizer-function-saved-by-name")
def test_function_regularizer_saved_by_name_and_needs_custom_objects(tmp_path):
    model, _ = regularized_model()
    config = model.layers[0].get_config()["kernel_regularizer"]
    assert config == {"module": "builtins", "class_name": "function", "config": "l1_penalty",
                      "registered_name": "function"}
    model.save(tmp_path / "m.keras")
    with pytest.raises(TypeError, match="Could not interpret regularizer identifier: .*'config': 'l1_penalty'"):
        keras.models.load_model(tmp_path / "m.keras")
    reloaded = keras.models.load_model(tmp_path / "m.keras", custom_objects={"l1_penalty": l1_penalty})
    assert reloaded.layers[0].kernel_regularizer is l1_penalty


class BookL1(keras.regularizers.Regularizer):
    def __init__(self, factor):
        self.factor = factor

    def __call__(self, weights):
        import tensorflow as tf
        return tf.reduce_sum(tf.abs(self.factor * weights))

    def get_config(self):
        return {"factor": self.factor}


@pytest.mark.claim("book-regularizer-runs-on-keras3", "regularizer-base-has-no-init")
def test_book_class_without_super_init_works():
    assert "__init__" not in vars(keras.regularizers.Regularizer)
    assert keras.regularizers.Regularizer.__init__ is object.__init__
    keras.regularizers.Regularizer.__init__(BookL1(0.1))  # no error
    model, layer = regularized_model(BookL1(0.01))
    assert [round(float(v), 4) for v in layer.losses] == [0.06]
    assert np.isfinite(model.train_on_batch(X, Y, return_dict=True)["loss"])


@pytest.mark.claim("custom-regularizer-needs-registration")
def test_unregistered_class_is_not_found_on_load(tmp_path):
    model, _ = regularized_model(BookL1(0.01))
    model.save(tmp_path / "m.keras")
    with pytest.raises(TypeError, match="Could not interpret regularizer identifier: .*'class_name': 'BookL1'"):
        keras.models.load_model(tmp_path / "m.keras")
    reloaded = keras.models.load_model(tmp_path / "m.keras", custom_objects={"BookL1": BookL1})
    assert reloaded.layers[0].kernel_regularizer.factor == 0.01


class NoConfig(keras.regularizers.Regularizer):
    def __init__(self, factor=0.01):
        self.factor = factor

    def __call__(self, weights):
        return self.factor * keras.ops.sum(keras.ops.abs(weights))


@pytest.mark.claim("no-get-config-regularizer-trains")
def test_regularizer_without_get_config_trains():
    model, layer = regularized_model(NoConfig())
    before = layer.kernel.numpy()
    loss = model.train_on_batch(X, Y, return_dict=True)["loss"]
    assert np.isfinite(loss) and not np.allclose(before, layer.kernel.numpy())
    with pytest.raises(NotImplementedError, match="does not implement get_config"):
        NoConfig().get_config()


@pytest.mark.claim("sequential-build-shape-reloads-as-list")
def test_sequential_build_shape_comes_back_as_a_list(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, kernel_regularizer=l1_penalty)])
    model.save(tmp_path / "model.keras")
    reloaded = keras.models.load_model(tmp_path / "model.keras", custom_objects={"l1_penalty": l1_penalty})
    assert model.get_config()["layers"][1]["build_config"]["input_shape"] == (None, 3)
    assert reloaded.get_config()["layers"][1]["build_config"]["input_shape"] == [None, 3]
    assert reloaded.get_config() != model.get_config()
    assert [l.get_config() for l in reloaded.layers] == [l.get_config() for l in model.layers]


# Statements about older Keras releases: only the pinned release is installed here, so these
# read what `python3 dev.py compat` recorded when it ran this page's blocks and checks on them
# (data/compatibility.yml, shown on the compatibility page).

@pytest.mark.claim("function-regularizer-refused-before-3-15")
def test_older_releases_refuse_a_function_regularizer():
    assert compat.releases_recording("building-blocks/regularizers.md",
                                     "Invalid value for attribute `regularizer`. Expected an instance of "
                                     "`keras.regularizers.Regularizer`, or `None`.") == ["3.13.2", "3.14.1"]


@pytest.mark.claim("activity-penalty-not-divided-in-3-13")
def test_keras_3_13_adds_the_whole_activity_penalty():
    assert compat.releases_recording("building-blocks/regularizers.md", "assert [0.24] == [0.06]",
                                     test="test_activity_penalty_per_call_divided_by_batch_size") == ["3.13.2"]
