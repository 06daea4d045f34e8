"""Claim checks for docs/<lang>/training/gradients.md."""

import ast
import inspect
import warnings
from pathlib import Path

import numpy as np
import pytest
import tensorflow as tf
import keras

KERAS_SRC = Path(keras.__file__).parent / "src"


def top_level_names(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef))}


@pytest.mark.claim("fit-uses-gradient-tape", "fit-step-by-hand")
def test_fit_step_is_a_tape_step():
    from keras.src.backend.tensorflow.trainer import TensorFlowTrainer
    assert "tf.GradientTape()" in inspect.getsource(TensorFlowTrainer.train_step)

    x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
    y = x.sum(axis=1, keepdims=True)

    def build():
        keras.utils.set_random_seed(0)
        return keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), keras.layers.Dense(1)])

    by_fit = build()
    by_fit.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    by_fit.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)

    by_hand = build()
    optimizer = keras.optimizers.SGD(0.1)
    with tf.GradientTape() as tape:
        loss = keras.ops.mean(keras.losses.mean_squared_error(y, by_hand(x, training=True)))
    grads = tape.gradient(loss, by_hand.trainable_variables)
    optimizer.apply_gradients(zip(grads, by_hand.trainable_variables))

    before = build().get_weights()
    for a, b, start in zip(by_fit.get_weights(), by_hand.get_weights(), before):
        assert not np.allclose(a, start)
        np.testing.assert_allclose(a, b, atol=1e-6)


@pytest.mark.claim("keras-ops-gradient-hooks-backend-neutral", "ops-stop-gradient-every-backend")
def test_keras_ops_gradient_hooks_exist_on_every_backend():
    assert keras.ops.custom_gradient.__module__ == "keras.src.ops.core"
    assert keras.ops.stop_gradient.__module__ == "keras.src.ops.core"
    # ... but nothing in keras.ops records a forward pass and differentiates it, like the tape
    assert not [n for n in dir(keras.ops)
                if "tape" in n.lower() or n in ("grad", "gradient", "value_and_grad", "vjp")]
    for backend in ("tensorflow", "jax", "torch", "numpy"):
        names = top_level_names(KERAS_SRC / "backend" / backend / "core.py")
        assert {"custom_gradient", "stop_gradient"} <= names, backend


@pytest.mark.claim("ops-custom-gradient-upstream-by-backend")
def test_grad_receives_upstream_positionally_on_tensorflow_and_by_keyword_on_torch():
    seen = {}

    @keras.ops.custom_gradient
    def double(x):
        def grad(*args, upstream=None):
            seen["args"], seen["upstream"] = len(args), upstream
            return args[0] * 2.0

        return 2.0 * x, grad

    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = double(x)
    assert float(tape.gradient(y, x)) == 2.0
    assert seen == {"args": 1, "upstream": None}

    torch_core = (KERAS_SRC / "backend" / "torch" / "core.py").read_text(encoding="utf-8")
    assert "grad_fn(*args, upstream=grad_output)" in torch_core


@pytest.mark.claim("jacobian-consumes-tape")
def test_jacobian_consumes_a_non_persistent_tape():
    w = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = tf.stack([2.0 * w, w * w])
    np.testing.assert_allclose(tape.jacobian(y, w).numpy(), [2.0, 6.0])
    with pytest.raises(RuntimeError, match="non-persistent GradientTape can only be used"):
        tape.gradient(y, w)


@pytest.mark.claim("optimizer-skips-none-gradient")
def test_optimizer_skips_none_gradients_with_a_warning():
    skipped, updated = keras.Variable([1.0, 2.0]), keras.Variable([3.0])
    optimizer = keras.optimizers.SGD(learning_rate=0.1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        optimizer.apply_gradients([(None, skipped), (tf.constant([1.0]), updated)])
    assert any("Gradients do not exist for variables" in str(w.message) for w in caught)
    np.testing.assert_allclose(skipped.numpy(), [1.0, 2.0])
    np.testing.assert_allclose(updated.numpy(), [2.9])
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        optimizer.apply_gradients([(None, skipped)])


@pytest.mark.claim("apply-gradients-applies-constraint")
def test_apply_gradients_applies_the_variable_constraint():
    layer = keras.layers.Dense(1, use_bias=False, kernel_initializer="ones",
                               kernel_constraint=keras.constraints.NonNeg())
    layer.build((None, 2))
    optimizer = keras.optimizers.SGD(learning_rate=1.0)
    optimizer.apply_gradients([(tf.constant([[3.0], [-1.0]]), layer.kernel)])
    np.testing.assert_allclose(layer.kernel.numpy().ravel(), [0.0, 2.0])


@pytest.mark.claim("nan-gradient-spreads")
def test_one_nan_gradient_entry_spreads_to_everything():
    keras.utils.set_random_seed(0)
    layer = keras.layers.Dense(1, kernel_initializer="ones")
    x = tf.constant([[1.0, 2.0]])
    layer.build((None, 2))
    optimizer = keras.optimizers.SGD(learning_rate=0.1)
    optimizer.apply_gradients([(tf.constant([[np.nan], [0.5]]), layer.kernel),
                               (tf.constant([0.0]), layer.bias)])
    kernel = layer.kernel.numpy().ravel()
    assert np.isnan(kernel[0]) and not np.isnan(kernel[1])  # only the matching weight
    with tf.GradientTape() as tape:
        out = layer(x)
        loss = keras.ops.mean((out - 1.0) ** 2)
    grads = tape.gradient(loss, layer.trainable_variables)
    assert np.isnan(out.numpy()).all()
    assert all(np.isnan(g.numpy()).all() for g in grads)


@pytest.mark.claim("tape-records-variable-ops", "trainable-variables-watched")
def test_tape_records_operations_on_trainable_variables_inside_the_block():
    w = tf.Variable(3.0)
    frozen = tf.Variable(3.0, trainable=False)
    before = w * 2.0  # outside the block: not recorded
    with tf.GradientTape(persistent=True) as tape:
        y = w * w * 2.0
        z = frozen * frozen
    assert float(tape.gradient(y, w)) == 12.0
    assert tape.gradient(before, w) is None
    assert tape.gradient(z, frozen) is None  # only trainable variables are watched


@pytest.mark.claim("unwatched-constant-gives-none")
def test_unwatched_constant_gives_none():
    c = tf.constant(3.0)
    with tf.GradientTape() as tape:
        y = c * c
    assert tape.gradient(y, c) is None
    with tf.GradientTape() as tape:
        tape.watch(c)
        y = c * c
    assert float(tape.gradient(y, c)) == 6.0


@pytest.mark.claim("persistent-tape-answers-twice")
def test_persistent_tape_answers_twice():
    w = tf.Variable(3.0)
    with tf.GradientTape(persistent=True) as tape:
        y = w * w
        z = y * y
    assert float(tape.gradient(y, w)) == 6.0
    assert float(tape.gradient(z, w)) == 108.0


@pytest.mark.claim("gradient-of-several-targets-is-sum")
def test_list_and_vector_targets_give_the_gradient_of_the_sum():
    w = tf.Variable(3.0)
    with tf.GradientTape(persistent=True) as tape:
        y1, y2 = 2.0 * w, w * w
        both = tf.stack([y1, y2])
    assert float(tape.gradient([y1, y2], w)) == 8.0
    assert float(tape.gradient(both, w)) == 8.0


@pytest.mark.claim("unconnected-gradient-is-none", "unconnected-gradients-zero")
def test_unconnected_sources_give_none_or_zero():
    w, unused = tf.Variable(3.0), tf.Variable(5.0)
    with tf.GradientTape(persistent=True) as tape:
        y = w * w
        detached = tf.constant(w.numpy() ** 2)
    assert tape.gradient(y, unused) is None
    assert tape.gradient(detached, w) is None
    zero = tape.gradient(y, unused, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    assert float(zero) == 0.0


@pytest.mark.claim("one-gradient-per-variable")
def test_one_gradient_per_trainable_variable_with_its_shape():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), keras.layers.Dense(1)])
    with tf.GradientTape() as tape:
        loss = keras.ops.mean(model(np.ones((4, 3), "float32")) ** 2)
    grads = tape.gradient(loss, model.trainable_variables)
    assert [tuple(g.shape) for g in grads] == [(3, 2), (2,), (2, 1), (1,)]
    assert [tuple(g.shape) for g in grads] == [tuple(v.shape) for v in model.trainable_variables]


@pytest.mark.claim("stop-gradient-blocks-path")
def test_stop_gradient_keeps_the_value_and_cuts_the_path():
    w = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        target = w * w
        held = tf.stop_gradient(target)
        loss = (3.0 * w - target) ** 2
        loss_fixed = (3.0 * w - held) ** 2
    assert float(held) == float(target) == 4.0
    assert float(tape.gradient(loss, w)) == -4.0
    assert float(tape.gradient(loss_fixed, w)) == 12.0


def naive_softplus(x):
    return tf.math.log(1.0 + tf.exp(x))


@tf.custom_gradient
def stable_softplus(x):
    def grad(upstream):
        return upstream * tf.sigmoid(x)

    return tf.maximum(x, 0.0) + tf.math.log1p(tf.exp(-tf.abs(x))), grad


@pytest.mark.claim("naive-softplus-nan-gradient", "custom-gradient-replaces-derivative")
def test_naive_softplus_overflows_and_the_custom_gradient_does_not():
    points = tf.constant([0.0, 100.0])
    for function, value, gradient in ((naive_softplus, np.inf, np.nan),
                                      (stable_softplus, 100.0, 1.0)):
        with tf.GradientTape() as tape:
            tape.watch(points)
            values = function(points)
        grads = tape.gradient(values, points).numpy()
        np.testing.assert_allclose(values.numpy(), [np.log(2.0), value], rtol=1e-6)
        np.testing.assert_allclose(grads, [0.5, gradient], rtol=1e-6)


@pytest.mark.claim("naive-softplus-nan-in-kernel")
def test_naive_softplus_sends_nan_into_the_kernel_gradient():
    layer = keras.layers.Dense(1, kernel_initializer="ones")
    inputs = tf.constant([[40.0, 60.0]])
    kernels = {}
    for function in (naive_softplus, stable_softplus):
        with tf.GradientTape() as tape:
            outputs = function(layer(inputs))
        kernels[function.__name__] = tape.gradient(outputs, layer.kernel).numpy().ravel()
    assert np.isnan(kernels["naive_softplus"]).all()
    np.testing.assert_allclose(kernels["stable_softplus"], [40.0, 60.0])
