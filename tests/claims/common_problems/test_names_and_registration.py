"""Claim checks for docs/<lang>/common-problems/names-and-registration.md."""

import numpy as np
import keras
import pytest

from tools import compat


@pytest.mark.claim("get-custom-objects-returns-registry")
def test_get_custom_objects_returns_the_registry_itself():
    registry = keras.saving.get_custom_objects()
    assert registry is keras.saving.get_custom_objects() is keras.utils.get_custom_objects()

    @keras.saving.register_keras_serializable(package="claims_registry")
    def probe(x):
        return x

    assert registry["claims_registry>probe"] is probe
    registry.pop("claims_registry>probe")
    assert keras.saving.get_registered_object("claims_registry>probe") is None


@pytest.mark.claim("tf-keras-activation-string-from-custom-objects")
def test_tf_keras_finds_an_activation_name_in_custom_objects():
    import tf_keras

    def claims_capped(x):
        return tf_keras.backend.minimum(tf_keras.backend.relu(x), 1.5)

    with pytest.raises(ValueError, match="Unknown activation function"):
        tf_keras.layers.Dense(2, activation="claims_capped")
    tf_keras.utils.get_custom_objects()["claims_capped"] = claims_capped
    try:
        assert tf_keras.layers.Dense(2, activation="claims_capped").activation is claims_capped
    finally:
        tf_keras.utils.get_custom_objects().pop("claims_capped")


@pytest.mark.claim("activation-accepts-any-callable")
def test_activations_get_returns_any_callable_unchanged():
    class Doubler:
        def __call__(self, x):
            return 2 * x

    doubler, relu = Doubler(), keras.layers.ReLU()
    assert keras.activations.get(doubler) is doubler
    assert keras.activations.get(relu) is relu
    dense = keras.layers.Dense(1, activation=doubler, kernel_initializer="ones")
    assert float(dense(np.ones((1, 2), dtype="float32"))[0, 0]) == 4.0


@pytest.mark.claim("stored-names-same-since-3-13")
def test_the_page_prints_the_same_on_the_older_releases():
    # Recorded by `python3 dev.py compat` (data/compatibility.yml): only the pinned Keras is
    # installed here. A page with no recorded failure printed every shown output there.
    page = "common-problems/names-and-registration.md"
    runs = {r["keras"]: r for r in compat.load()["releases"]}
    for release in ("3.13.2", "3.14.1"):
        assert page in runs[release]["pages_tested"] and compat.recorded(release, page) == [], release
