"""Claim checks for docs/<lang>/saving-and-migrating/legacy-keras.md."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf
import keras
import tf_keras


@pytest.mark.claim("legacy-env-only-changes-tf-keras")
def test_legacy_env_changes_tf_keras_only():
    code = ("import tensorflow as tf, keras, tf_keras; "
            "print(tf.keras.Sequential.__module__, keras.__version__, tf_keras.__version__)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "TF_USE_LEGACY_KERAS": "1", "TF_CPP_MIN_LOG_LEVEL": "3"})
    module, keras_version, tf_keras_version = result.stdout.split()
    assert module.startswith("tf_keras.")
    assert keras_version == keras.__version__ and keras_version.startswith("3.")
    assert tf_keras_version.startswith("2.")


@pytest.mark.claim("tf-keras-version-follows-tensorflow")
def test_tf_keras_version_matches_tensorflow():
    assert tf_keras.__version__.split(".")[:2] == tf.__version__.split(".")[:2]


@pytest.mark.claim("tf-keras-has-no-ops")
def test_tf_keras_has_no_ops_and_no_distribution():
    assert not hasattr(tf_keras, "ops") and not hasattr(tf_keras, "distribution")
    assert hasattr(keras, "ops") and hasattr(keras, "distribution")


H5_OPTIMIZER_STATE = """
import json, sys
import numpy as np, tensorflow as tf, keras, tf_keras
from absl import logging as absl_logging

def squared_error(y_true, y_pred):
    return tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)

x = np.ones((8, 3), "float32")
old = tf_keras.Sequential([tf_keras.Input(shape=(3,)), tf_keras.layers.Dense(1)])
old.compile(optimizer="adam", loss=squared_error)
old.fit(x, x[:, :1], verbose=0)
old.save(sys.argv[1])
logged = []
absl_logging.warning = lambda msg, *args, **kwargs: logged.append(msg % args if args else msg)
restored = keras.models.load_model(sys.argv[1], custom_objects={"squared_error": squared_error})
print(json.dumps({"logged": [str(m) for m in logged],
                  "iterations": [int(restored.optimizer.iterations), int(old.optimizer.iterations)],
                  "restored": [v.path for v in restored.optimizer.variables],
                  "old": len(old.optimizer.variables)}))
"""


@pytest.mark.claim("h5-optimizer-state-not-restored")
def test_h5_optimizer_state_is_not_restored(tmp_path):
    # In its own process: in a pytest worker shared with other checks it once failed after
    # them (state left in TensorFlow or tf_keras), while it passed alone.
    result = subprocess.run([sys.executable, "-c", H5_OPTIMIZER_STATE, str(tmp_path / "m.h5")],
                            capture_output=True, text=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert any("Error in loading the saved optimizer state. As a result, your model is starting "
               "with a freshly initialized optimizer." in m for m in seen["logged"]), seen["logged"]
    # the step counter comes back; the moments do not (the optimizer is not built)
    assert seen["iterations"] == [1, 1]
    assert seen["restored"] == ["adam/iteration", "adam/learning_rate"]
    assert seen["old"] == 5  # iteration + m and v of kernel and bias
