"""Claim checks for docs/<lang>/building-blocks/losses.md."""

import warnings

import numpy as np
import keras
import pytest
import tensorflow as tf
from keras.src.losses.losses import LossFunctionWrapper

from tests.harness import backends


def huber_fn(y_true, y_pred):
    error = y_true - y_pred
    small = keras.ops.abs(error) <= 1.0
    return keras.ops.mean(keras.ops.where(small, 0.5 * keras.ops.square(error), keras.ops.abs(error) - 0.5), axis=-1)


Y_TRUE = np.zeros((4, 1), "float32")
Y_PRED = np.array([[0.5], [1.0], [2.0], [4.0]], "float32")


def tiny_model(loss):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss=loss)
    return model


def data(n=16):
    x = np.linspace(-1.0, 1.0, n, dtype="float32").reshape(-1, 1)
    return x, 3.0 * x + 1.0


@pytest.mark.claim("function-loss-needs-per-example-values")
def test_sample_weights_need_per_example_values():
    weights = np.array([1.0, 1.0, 0.0, 0.0], "float32")
    wrapped = LossFunctionWrapper(huber_fn)
    batch_mean = LossFunctionWrapper(lambda t, p: keras.ops.mean(huber_fn(t, p)))
    expected = (0.125 + 0.5) / 4
    assert float(wrapped(Y_TRUE, Y_PRED, sample_weight=weights)) == pytest.approx(expected)
    assert float(batch_mean(Y_TRUE, Y_PRED, sample_weight=weights)) != pytest.approx(expected)


@pytest.mark.claim("saved-loss-function-stored-by-name")
def test_plain_function_saved_by_name_only():
    config = tiny_model(huber_fn).get_compile_config()["loss"]
    assert config == {"module": "builtins", "class_name": "function", "config": "huber_fn",
                      "registered_name": "function"}


@pytest.mark.claim("registered-loss-function-name", "registered-loss-loads-without-custom-objects",
                   "reloaded-loss-is-the-same-function")
def test_registered_function_name_and_reload(tmp_path):
    def claims_huber(y_true, y_pred):
        return huber_fn(y_true, y_pred)

    keras.saving.register_keras_serializable(package="claims_losses")(claims_huber)
    model = tiny_model(claims_huber)
    assert model.get_compile_config()["loss"]["config"] == "claims_losses>claims_huber"
    model.save(tmp_path / "m.keras")
    reloaded = keras.models.load_model(tmp_path / "m.keras")
    assert reloaded.loss is claims_huber


@pytest.mark.claim("huber-gradient-bounded-by-threshold")
def test_huber_gradient_capped_at_delta():
    errors = tf.constant(np.linspace(-50.0, 50.0, 101, dtype="float32").reshape(-1, 1))
    with tf.GradientTape() as tape:
        tape.watch(errors)
        total = tf.reduce_sum(keras.losses.huber(np.zeros((101, 1), "float32"), errors, delta=1.0))
    gradient = tape.gradient(total, errors).numpy()
    assert np.abs(gradient).max() == pytest.approx(1.0)
    with tf.GradientTape() as tape:
        tape.watch(errors)
        squared = tf.reduce_sum(0.5 * tf.square(errors))
    assert np.abs(tape.gradient(squared, errors).numpy()).max() == pytest.approx(50.0)


def make_huber(threshold):
    def thresholded_huber(y_true, y_pred):
        error = keras.ops.abs(y_true - y_pred)
        linear = threshold * error - 0.5 * threshold**2
        return keras.ops.mean(keras.ops.where(error <= threshold, 0.5 * error**2, linear), axis=-1)
    return thresholded_huber


@pytest.mark.claim("custom-objects-function-replaces-loss")
def test_custom_objects_function_silently_becomes_the_loss(tmp_path):
    model = tiny_model(make_huber(0.5))
    model.save(tmp_path / "m.keras")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        reloaded = keras.models.load_model(tmp_path / "m.keras",
                                           custom_objects={"thresholded_huber": make_huber(2.0)})
    probe = (np.zeros((1, 1), "float32"), np.full((1, 1), 3.0, "float32"))
    assert float(model.loss(*probe)[0]) == pytest.approx(1.375)
    assert float(reloaded.loss(*probe)[0]) == pytest.approx(4.0)


@pytest.mark.claim("builtin-named-inner-loss-loads-builtin", "builtin-named-inner-loss-no-warning")
def test_inner_function_named_huber_loads_keras_huber(tmp_path):
    inner = make_huber(0.5)

    def huber(y_true, y_pred):
        return inner(y_true, y_pred)

    model = tiny_model(huber)
    model.save(tmp_path / "m.keras")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        reloaded = keras.models.load_model(tmp_path / "m.keras")
    assert reloaded.loss is keras.losses.huber
    probe = (np.zeros((1, 1), "float32"), np.full((1, 1), 3.0, "float32"))
    assert float(reloaded.loss(*probe)[0]) == pytest.approx(2.5)


class Recording(keras.losses.Loss):
    def __init__(self, threshold=1.0, name="recording", reduction="sum_over_batch_size"):
        super().__init__(name=name, reduction=reduction)
        self.threshold = threshold
        self.seen = []

    def call(self, y_true, y_pred):
        self.seen.append((tf.is_tensor(y_true), tf.is_tensor(y_pred), y_true.dtype, y_pred.dtype))
        return huber_fn(y_true, y_pred)

    def get_config(self):
        return {**super().get_config(), "threshold": self.threshold}


@pytest.mark.claim("loss-call-weights-then-reduces")
def test_loss_call_converts_then_weights_then_reduces():
    loss = Recording(reduction="sum")
    value = loss(Y_TRUE.astype("float64"), Y_PRED.astype("float64"), sample_weight=np.array([2.0, 0.0, 0.0, 1.0], "float32"))
    assert loss.seen == [(True, True, tf.float32, tf.float32)]
    assert float(value) == pytest.approx(2 * 0.125 + 3.5)


@pytest.mark.claim("loss-base-config-and-from-config")
def test_loss_base_config_and_default_from_config():
    assert keras.losses.Loss(name="x").get_config() == {"name": "x", "reduction": "sum_over_batch_size"}
    restored = Recording.from_config(Recording(threshold=2.0, reduction="sum").get_config())
    assert (type(restored), restored.threshold, restored.reduction, restored.name) == (Recording, 2.0, "sum", "recording")


@pytest.mark.claim("default-reduction-divides-by-examples")
def test_default_reduction_and_mean_alias():
    weights = np.array([1.0, 1.0, 0.0, 0.0], "float32")
    assert keras.losses.Loss().reduction == "sum_over_batch_size"
    for reduction in ("sum_over_batch_size", "mean"):
        loss = LossFunctionWrapper(huber_fn, reduction=reduction)
        assert float(loss(Y_TRUE, Y_PRED, sample_weight=weights)) == pytest.approx((0.125 + 0.5) / 4)


@pytest.mark.claim("none-reduction-returns-weighted-values")
def test_none_reduction_returns_weighted_per_example_values():
    weights = np.array([1.0, 1.0, 0.0, 0.0], "float32")
    for reduction in (None, "none"):
        loss = LossFunctionWrapper(huber_fn, reduction=reduction)
        values = keras.ops.convert_to_numpy(loss(Y_TRUE, Y_PRED, sample_weight=weights))
        np.testing.assert_allclose(values, [0.125, 0.5, 0.0, 0.0])


@pytest.mark.claim("default-reduction-loss-independent-of-batch-size")
def test_default_reduction_reported_loss_independent_of_batch_size():
    model = tiny_model(huber_fn)
    x, y = data(32)
    by_16 = model.evaluate(x, y, batch_size=16, verbose=0)
    by_8 = model.evaluate(x, y, batch_size=8, verbose=0)
    assert by_16 == pytest.approx(by_8, rel=1e-5)
    model.compile(optimizer="sgd", loss=keras.losses.MeanSquaredError(reduction="sum"))
    assert model.evaluate(x, y, batch_size=16, verbose=0) == pytest.approx(
        2 * model.evaluate(x, y, batch_size=8, verbose=0), rel=1e-4)


@pytest.mark.claim("registered-loss-class-name")
def test_registered_loss_class_name_in_file(tmp_path):
    @keras.saving.register_keras_serializable(package="claims_losses")
    class ClaimsHuber(Recording):
        pass

    model = tiny_model(ClaimsHuber(threshold=0.5))
    assert model.get_compile_config()["loss"]["registered_name"] == "claims_losses>ClaimsHuber"
    assert model.get_compile_config()["loss"]["config"]["threshold"] == 0.5
    model.save(tmp_path / "m.keras")
    assert keras.models.load_model(tmp_path / "m.keras").loss.threshold == 0.5


LABELS = np.array([[1.0], [0.0], [0.0], [1.0]], "float32")
LOGITS = np.array([[0.5], [30.0], [100.0], [-200.0]], "float32")


@pytest.mark.claim("float32-sigmoid-saturates")
def test_float32_sigmoid_rounds_to_exactly_one_and_zero():
    p = keras.ops.convert_to_numpy(keras.ops.sigmoid(LOGITS))[:, 0]
    assert p.dtype == np.float32
    assert p[1] == 1.0 and p[3] == 0.0
    assert np.isinf(keras.ops.convert_to_numpy(-keras.ops.log(1.0 - p[1])))


@pytest.mark.claim("keras-softplus-is-stable")
def test_keras_softplus_does_not_overflow():
    z = np.array([100.0, 200.0, -200.0], "float32")
    with np.errstate(over="ignore"):
        naive = np.log1p(np.exp(z))
    assert np.isinf(naive[1])
    np.testing.assert_allclose(keras.ops.convert_to_numpy(keras.ops.softplus(z)), [100.0, 200.0, 0.0], atol=1e-6)


@pytest.mark.claim("builtin-bce-from-logits-is-stable")
def test_builtin_bce_from_logits_is_finite():
    values = keras.ops.convert_to_numpy(keras.losses.binary_crossentropy(LABELS, LOGITS, from_logits=True))
    np.testing.assert_allclose(values, [0.4741, 30.0, 100.0, 200.0], atol=1e-4)
    gradient_input = tf.constant(LOGITS)
    with tf.GradientTape() as tape:
        tape.watch(gradient_input)
        total = tf.reduce_sum(keras.losses.binary_crossentropy(LABELS, gradient_input, from_logits=True))
    np.testing.assert_allclose(tape.gradient(total, gradient_input).numpy()[:, 0], [-0.3775, 1.0, 1.0, -1.0], atol=1e-4)


@pytest.mark.claim("nan-gradient-reaches-every-weight")
def test_one_nan_gradient_poisons_every_weight():
    keras.utils.set_random_seed(0)
    layer = keras.layers.Dense(1, kernel_initializer="ones")
    x = np.array([[1.0, 1.0], [30.0, 0.5]], "float32")
    layer.build((None, 2))
    with tf.GradientTape() as tape:
        p = keras.ops.sigmoid(layer(x))
        loss = tf.reduce_mean(-keras.ops.log(1.0 - p))
    gradients = tape.gradient(loss, layer.trainable_variables)
    keras.optimizers.SGD(0.1).apply(gradients, layer.trainable_variables)
    assert all(np.isnan(v.numpy()).all() for v in layer.trainable_variables)


@tf.function
def graph_huber(y_true, y_pred):
    return huber_fn(y_true, y_pred)


@pytest.mark.claim("tf-function-loss-saved-as-function-object", "tf-function-loss-breaks-compiled-load")
def test_tf_function_loss_saves_but_compiled_load_fails(tmp_path):
    model = tiny_model(graph_huber)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # Keras warns with UserWarning
        model.save(tmp_path / "m.keras")  # saved without complaint
    config = model.get_compile_config()["loss"]
    assert (config["class_name"], config["config"]) == ("Function", "graph_huber")
    assert config["module"].startswith("tensorflow.")
    with pytest.raises(TypeError, match="Expected 'config' to be a dict for Function"):
        keras.models.load_model(tmp_path / "m.keras", custom_objects={"graph_huber": graph_huber})


@pytest.mark.claim("fit-compiles-train-step-into-graph")
def test_fit_runs_the_step_as_a_tf_function():
    model = tiny_model(huber_fn)
    x, y = data()
    traced = []

    def tracing_loss(y_true, y_pred):
        traced.append(tf.executing_eagerly())
        return huber_fn(y_true, y_pred)

    model.compile(optimizer="sgd", loss=tracing_loss)
    model.fit(x, y, batch_size=4, epochs=2, verbose=0)
    assert traced and not any(traced)  # called while tracing a graph, not once per batch eagerly
    assert len(traced) < 8


@pytest.mark.claim("tf-keras-and-keras-loss-names-differ")
def test_tf_keras_has_short_names_keras_has_long_names():
    assert tf.keras.losses.__name__ == "keras._tf_keras.keras.losses"
    assert hasattr(tf.keras.losses, "mse") and not hasattr(tf.keras.losses, "mean_squared_error")
    assert hasattr(keras.losses, "mean_squared_error") and not hasattr(keras.losses, "mse")


@pytest.mark.claim("mse-alias-is-the-same-function")
def test_short_and_long_name_same_function():
    assert tf.keras.losses.mse is keras.losses.mean_squared_error


@pytest.mark.claim("losses-get-resolves-short-aliases")
def test_losses_get_and_compile_accept_short_alias():
    assert keras.losses.get("mse") is keras.losses.mean_squared_error
    assert keras.losses.get("mae") is keras.losses.mean_absolute_error
    x, y = data()
    by_alias, by_name = tiny_model("mse"), tiny_model("mean_squared_error")
    assert by_alias.evaluate(x, y, verbose=0) == pytest.approx(by_name.evaluate(x, y, verbose=0))


def _one_step(reduction):
    """One SGD step of a compiled model with a loss of this reduction: (reported loss, kernel step)."""
    x = np.linspace(-1.0, 1.0, 16, dtype="float32").reshape(-1, 1)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, kernel_initializer="zeros")])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss=keras.losses.Huber(reduction=reduction))
    history = model.fit(x, 3.0 * x + 1.0, batch_size=16, epochs=1, verbose=0)
    return history.history["loss"][0], float(np.abs(model.get_weights()[0]).sum())


@pytest.mark.claim("none-reduction-trains-like-sum")
def test_none_reduction_reports_the_mean_and_steps_like_sum_on_tensorflow():
    assert keras.backend.backend() == "tensorflow"
    mean_loss, mean_step = _one_step("sum_over_batch_size")
    none_loss, none_step = _one_step(None)
    _, sum_step = _one_step("sum")
    assert np.isclose(none_loss, mean_loss)
    assert np.isclose(none_step, sum_step) and np.isclose(sum_step, 16 * mean_step, rtol=1e-4)


@pytest.mark.claim("none-reduction-fit-raises-on-jax-and-torch")
@pytest.mark.parametrize("backend, error", [
    ("jax", "TypeError: Gradient only defined for scalar-output functions"),
    ("torch", "RuntimeError: grad can be implicitly created only for scalar outputs"),
])
def test_none_reduction_fit_raises_on(backend, error, tmp_path):
    """The same fit on JAX and PyTorch, in a new process of that backend's environment (made
    on first use: tools/keras_envs.py)."""
    code = (
        "import numpy as np, keras\n"
        "x = np.linspace(-1.0, 1.0, 16, dtype='float32').reshape(-1, 1)\n"
        "model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])\n"
        "model.compile(optimizer='sgd', loss=keras.losses.Huber(reduction=None))\n"
        "try:\n"
        "    model.fit(x, 3.0 * x + 1.0, batch_size=16, epochs=1, verbose=0)\n"
        "except Exception as e:\n"
        "    print(f'{type(e).__name__}: {e}')\n"
    )
    [printed] = backends.run([(code, backend)], tmp_path)
    assert printed and printed[0].startswith(error), printed
