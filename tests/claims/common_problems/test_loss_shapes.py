"""Claim checks for docs/<lang>/common-problems/loss-shapes.md."""

import numpy as np
import pytest
import keras
from keras.src.losses.loss import squeeze_or_expand_to_same_rank


@pytest.mark.claim("squeeze-or-expand-adds-trailing-one")
def test_squeeze_or_expand_to_same_rank():
    flat = keras.ops.ones((4,))
    column = keras.ops.ones((4, 1))
    a, b = squeeze_or_expand_to_same_rank(flat, column)
    assert tuple(a.shape) == (4, 1) and tuple(b.shape) == (4, 1)  # the flat side grows
    a, b = squeeze_or_expand_to_same_rank(keras.ops.ones((4, 3)), keras.ops.ones((4, 3, 1)))
    assert tuple(a.shape) == (4, 3) and tuple(b.shape) == (4, 3)  # the trailing 1 goes
    a, b = squeeze_or_expand_to_same_rank(flat, keras.ops.ones((4, 2)))
    assert tuple(a.shape) == (4,) and tuple(b.shape) == (4, 2)  # not a trailing 1: unchanged


@pytest.mark.claim("builtin-loss-functions-align-ranks")
def test_builtin_loss_functions_align_ranks():
    y_true = np.array([1.0, 2.0, 3.0, 4.0], dtype="float32")
    y_pred = (y_true + 0.5).reshape(-1, 1)
    for fn, right in [(keras.losses.mean_squared_error, 0.25),
                      (keras.losses.mean_absolute_error, 0.5)]:
        values = fn(y_true, y_pred)
        assert tuple(values.shape) == (4,)
        assert np.allclose(values, right)


class SplitLastWrong(keras.layers.Layer):
    def call(self, inputs):
        return inputs[:, :2], inputs[:, 2:]

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 2)


class SplitLastTraced(keras.layers.Layer):
    def call(self, inputs):
        return inputs[:, :2], inputs[:, 2:]


@pytest.mark.claim("multi-output-wrong-shape-eager-works")
def test_wrong_shape_only_fails_symbolically():
    head, tail = SplitLastWrong()(np.ones((3, 5), dtype="float32"))
    assert tuple(head.shape) == (3, 2) and tuple(tail.shape) == (3, 3)
    symbolic = SplitLastWrong()(keras.Input(shape=(5,)))
    assert isinstance(symbolic, keras.KerasTensor) and symbolic.shape == (None, 2)


@pytest.mark.claim("multi-output-traced-without-compute-output-shape")
def test_traced_without_compute_output_shape():
    head, tail = SplitLastTraced()(keras.Input(shape=(5,)))
    assert head.shape == (None, 2) and tail.shape == (None, 3)
