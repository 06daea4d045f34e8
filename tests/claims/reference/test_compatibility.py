"""Claim checks for docs/<lang>/reference/compatibility.md."""

from importlib.metadata import requires, version

import pytest
from packaging.requirements import Requirement

from tools import compat


@pytest.mark.claim("tensorflow-requires-tested-keras-releases")
def test_pinned_tensorflow_accepts_every_compared_keras_release():
    keras = next(r for r in map(Requirement, requires("tensorflow")) if r.name == "keras")
    assert keras.specifier.contains(version("keras"))
    for release in compat.RELEASES:
        assert keras.specifier.contains(release), (release, str(keras.specifier))
