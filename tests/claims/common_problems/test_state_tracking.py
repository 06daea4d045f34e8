"""Claim checks for docs/<lang>/common-problems/state-tracking.md."""

import warnings

import numpy as np
import pytest
import tensorflow as tf
import keras


def data():
    x = np.linspace(-1.0, 1.0, 16, dtype="float32").reshape(-1, 1)
    return x, 3.0 * x


class RawScale(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.scale = tf.Variable(0.5)

    def call(self, inputs):
        return inputs * self.scale


@pytest.mark.claim("tracker-collects-only-keras-variables")
def test_tracker_collects_only_keras_variables():
    layer = keras.layers.Layer()
    layer.raw = tf.Variable(1.0)
    layer.kept = keras.Variable(1.0)
    layer.frozen = keras.Variable(1.0, trainable=False)
    assert [v is layer.kept for v in layer.trainable_weights] == [True]
    assert [v is layer.frozen for v in layer.non_trainable_weights] == [True]
    assert not any(v is layer.raw for v in layer.weights)


@pytest.mark.claim("raw-tf-variable-silent-next-to-weights")
def test_raw_variable_silent_next_to_weights():
    keras.utils.set_random_seed(0)
    x, y = data()
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1), RawScale()])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5), loss="mse")
    kernel = np.array(model.layers[0].kernel)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(x, y, epochs=3, verbose=0)
    assert not np.allclose(kernel, model.layers[0].kernel)  # the Dense layer trained
    assert float(model.layers[1].scale.numpy()) == 0.5  # the raw variable did not
    assert not [w for w in caught if "weights" in str(w.message)]


@pytest.mark.claim("shared-optimizer-compile-accepts")
def test_shared_optimizer_compile_accepts_fit_refuses():
    x, y = data()
    shared = keras.optimizers.SGD(learning_rate=0.1)
    first = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
    first.compile(optimizer=shared, loss="mse")
    first.fit(x, y, epochs=1, verbose=0)
    second = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
    second.compile(optimizer=shared, loss="mse")  # no error here
    assert second.optimizer is shared
    with pytest.raises(ValueError, match="Unknown variable"):
        second.fit(x, y, epochs=1, verbose=0)


class Inner(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(1)
        self.tracker = keras.metrics.Mean(name="inner_mean")

    def call(self, inputs):
        outputs = self.dense(inputs)
        self.tracker.update_state(keras.ops.mean(outputs))
        return outputs


@pytest.mark.claim("nested-tracker-missing-from-outer-metrics")
def test_nested_tracker_missing_from_outer_metrics():
    keras.utils.set_random_seed(0)
    x, y = data()
    inner = Inner()
    outer = keras.Sequential([keras.Input(shape=(1,)), inner])
    outer.compile(optimizer="sgd", loss="mse")
    history = outer.fit(x, y, batch_size=8, epochs=2, verbose=0)
    assert not any(m is inner.tracker for m in outer.metrics)
    assert "inner_mean" not in history.history
    assert int(inner.tracker.count.numpy()) == 4  # 2 epochs x 2 batches: never reset
