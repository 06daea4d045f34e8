"""Claim checks for docs/<lang>/common-problems/composed-metrics.md."""

import numpy as np
import pytest
import keras


def _regression(n=8):
    rng = np.random.default_rng(0)
    x = rng.random((n, 2), dtype="float32")
    return x, (x[:, :1] > 0.5).astype("float32")


def _classifier(metrics):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=metrics)
    return model


@pytest.mark.claim("fbeta-rank-1-labels-fail-in-fit")
def test_rank_1_labels_fail_in_fit():
    x, y = _regression()
    model = _classifier([keras.metrics.F1Score(threshold=0.5)])
    with pytest.raises(ValueError, match=r"FBetaScore expects 2D inputs .*y_true.shape=\(8,\)"):
        model.fit(x, y.ravel(), batch_size=8, epochs=1, verbose=0)
    fixed = _classifier([keras.metrics.F1Score(threshold=0.5)])
    history = fixed.fit(x, y, batch_size=8, epochs=1, verbose=0)
    assert np.asarray(history.history["f1_score"][0]).shape == (1,)


@pytest.mark.claim("fbeta-threshold-range")
def test_threshold_range():
    for bad in (0.0, 1.5, -0.2):
        with pytest.raises(ValueError, match="0 < threshold <= 1"):
            keras.metrics.F1Score(threshold=bad)
    keras.metrics.F1Score(threshold=1.0)


@pytest.mark.claim("fbeta-beta-float-only")
def test_beta_float_only():
    with pytest.raises(ValueError, match="beta.*Python float"):
        keras.metrics.FBetaScore(beta=2)
    keras.metrics.FBetaScore(beta=2.0)


@pytest.mark.claim("fbeta-average-other-refused")
def test_average_other_refused():
    with pytest.raises(ValueError, match="Invalid `average` argument value"):
        keras.metrics.F1Score(average="binary")


@pytest.mark.claim("precision-threshold-default-strict")
def test_precision_default_threshold_is_strict():
    assert keras.metrics.Precision().thresholds == [0.5]
    labels = np.array([1, 1, 0, 1], dtype="float32")       # rank 1 is fine
    scores = np.array([0.5, 0.51, 0.6, 0.2], dtype="float32")
    precision, recall = keras.metrics.Precision(), keras.metrics.Recall()
    precision.update_state(labels, scores)
    recall.update_state(labels, scores)
    # 0.5 is not > 0.5: only 0.51 (true) and 0.6 (false) count as positive
    assert float(precision.result()) == pytest.approx(0.5)
    assert float(recall.result()) == pytest.approx(1 / 3)


@pytest.mark.claim("precision-list-logged-as-vector")
def test_list_of_thresholds_logged_as_vector():
    x, y = _regression()
    model = _classifier([keras.metrics.Precision(thresholds=[0.3, 0.5, 0.7], name="p")])
    history = model.fit(x, y, batch_size=4, epochs=2, verbose=0)
    assert len(history.history["p"]) == 2
    assert all(np.asarray(value).shape == (3,) for value in history.history["p"])


@pytest.mark.claim("precision-top-k-no-threshold")
def test_top_k_without_threshold():
    labels = np.array([[0, 1, 0], [1, 0, 0]], dtype="float32")
    scores = np.array([[0.1, 0.2, 0.15], [0.3, 0.1, 0.2]], dtype="float32")  # all below 0.5
    top1 = keras.metrics.Precision(top_k=1)
    top1.update_state(labels, scores)
    assert float(top1.result()) == pytest.approx(1.0)
    with_threshold = keras.metrics.Precision(top_k=1, thresholds=0.5)
    with_threshold.update_state(labels, scores)
    assert float(with_threshold.result()) == 0.0
