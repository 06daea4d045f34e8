"""Claim checks for docs/<lang>/concepts/losses-vs-metrics.md."""

import numpy as np
import keras
import pytest


def huber(y_true, y_pred):
    return keras.losses.huber(y_true, y_pred)


def logged_names(metrics, weighted_metrics):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=metrics, weighted_metrics=weighted_metrics)
    x, y = np.ones((4, 2), "float32"), np.zeros((4, 1), "float32")
    return sorted(model.evaluate(x, y, sample_weight=np.ones(4), verbose=0, return_dict=True))


@pytest.mark.claim("weighted-prefix-only-on-clash")
def test_weighted_prefix_only_when_the_name_clashes():
    assert logged_names([huber], [huber]) == ["huber", "loss", "weighted_huber"]
    assert logged_names([], [huber]) == ["huber", "loss"]
