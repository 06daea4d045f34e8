"""tf_keras (Keras 2) next to Keras 3: TF_USE_LEGACY_KERAS, old .h5 files, SavedModels.

Run it as a script: python snippets/saving_and_migrating/legacy_keras.py
"""

# --8<-- [start:imports]
import os
import subprocess
import sys

import numpy as np
import tensorflow as tf
import keras
import tf_keras  # (1)!

print("keras", keras.__version__, "| tf_keras", tf_keras.__version__)
# --8<-- [end:imports]

# --8<-- [start:which_tf_keras]
PROBE = "import tensorflow as tf; print(tf.keras.Sequential.__module__)"


def which_keras(code, **env):
    result = subprocess.run(  # (1)!
        [sys.executable, "-c", code], capture_output=True, text=True,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", **env},
    )
    return result.stdout.strip()


print("without:", which_keras(PROBE))
print("TF_USE_LEGACY_KERAS=1:", which_keras(PROBE, TF_USE_LEGACY_KERAS="1"))
# --8<-- [end:which_tf_keras]

# --8<-- [start:too_late]
LAZY = ("import os; import tensorflow as tf; "
        "os.environ['TF_USE_LEGACY_KERAS'] = '1'; print(tf.keras.Sequential.__module__)")
LATE = ("import os; import tensorflow as tf; before = tf.keras.Sequential.__module__; "
        "os.environ['TF_USE_LEGACY_KERAS'] = '1'; print(tf.keras.Sequential.__module__)")
print("set after import, before tf.keras:", which_keras(LAZY))  # (1)!
print("set after using tf.keras:", which_keras(LATE))  # (2)!
# --8<-- [end:too_late]

# --8<-- [start:legacy_h5]
rng = np.random.default_rng(0)
x = rng.normal(size=(32, 3)).astype("float32")
y = x.sum(axis=1, keepdims=True)


class Scale(tf_keras.layers.Layer):  # (1)!
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        return inputs * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def scaled_mse(y_true, y_pred):
    return 0.5 * tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)


tf_keras.utils.set_random_seed(0)
old = tf_keras.Sequential([tf_keras.Input(shape=(3,)), tf_keras.layers.Dense(2), Scale(2.0)])
old.compile(optimizer="adam", loss=scaled_mse)
old.fit(x, y, epochs=1, verbose=0)
old.save("legacy.h5")  # (2)!
print(os.path.isfile("legacy.h5"))
# --8<-- [end:legacy_h5]


# --8<-- [start:load_h5]
class Scale(keras.layers.Layer):  # (1)!
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        return inputs * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def scaled_mse(y_true, y_pred):
    return 0.5 * keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)


restored = keras.models.load_model(
    "legacy.h5", custom_objects={"Scale": Scale, "scaled_mse": scaled_mse})  # (2)!
print(type(restored.layers[-1]).__name__, isinstance(restored.layers[-1], keras.layers.Layer))
print("same predictions:", np.allclose(old.predict(x, verbose=0), restored.predict(x, verbose=0), atol=1e-6))
print("loss:", restored.loss.__name__, "| optimizer:", type(restored.optimizer).__name__)  # (3)!
# --8<-- [end:load_h5]

try:
    # --8<-- [start:error_h5_no_custom_objects]
    keras.models.load_model("legacy.h5")
    # --8<-- [end:error_h5_no_custom_objects]
except (TypeError, ValueError) as error:
    print(f"{type(error).__name__}: {error}")

try:
    # --8<-- [start:error_h5_tf_keras_class]
    keras.models.load_model("legacy.h5", custom_objects={
        "Scale": old.layers[-1].__class__, "scaled_mse": scaled_mse})
    # --8<-- [end:error_h5_tf_keras_class]
except (TypeError, ValueError) as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:resave]
restored.save("migrated.keras")  # (1)!
again = keras.models.load_model("migrated.keras", custom_objects={"Scale": Scale, "scaled_mse": scaled_mse})
print("same predictions:", np.allclose(restored.predict(x, verbose=0), again.predict(x, verbose=0)))
print("same layer configs:", all(a.get_config() == b.get_config() for a, b in zip(again.layers, restored.layers)))
print("factor:", again.layers[-1].factor)
# --8<-- [end:resave]

# --8<-- [start:legacy_savedmodel]
old.save("legacy_savedmodel", save_format="tf")  # (1)!
layer = keras.layers.TFSMLayer("legacy_savedmodel", call_endpoint="serving_default")  # (2)!
outputs = layer(x)
print(sorted(outputs))
print("same predictions:", np.allclose(old.predict(x, verbose=0), outputs["scale"], atol=1e-6))
# --8<-- [end:legacy_savedmodel]

try:
    # --8<-- [start:error_load_savedmodel]
    keras.models.load_model("legacy_savedmodel")
    # --8<-- [end:error_load_savedmodel]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:fine_tune]
keras.utils.set_random_seed(1)
inputs = keras.Input(shape=(3,))
legacy = keras.layers.TFSMLayer("legacy_savedmodel", call_endpoint="serving_default")
tuned = keras.Model(inputs, keras.layers.Dense(1)(legacy(inputs)["scale"]))  # (1)!
print("trainable weights:", len(legacy.trainable_weights), "+", len(tuned.trainable_weights) - 2)  # (2)!
start = [keras.ops.convert_to_numpy(w) for w in legacy.trainable_weights]
tuned.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
history = tuned.fit(x, y, epochs=3, verbose=0)
print("loss per epoch:", [round(v, 4) for v in history.history["loss"]])
print("SavedModel weights changed:", [not np.allclose(a, keras.ops.convert_to_numpy(w))
                                      for a, w in zip(start, legacy.trainable_weights)])  # (3)!
# --8<-- [end:fine_tune]


# --8<-- [start:hub_module]
class Embedder(tf.Module):  # (1)!
    def __init__(self):
        super().__init__()
        self.table = tf.Variable(tf.random.stateless_normal((3, 4), seed=(1, 2)), name="table")
        self.offset = tf.Variable(tf.zeros((4,)), trainable=False, name="offset")

    @tf.function(input_signature=[tf.TensorSpec((None, 3), tf.float32)])  # (2)!
    def __call__(self, inputs):
        return tf.nn.relu(inputs @ self.table + self.offset)


tf.saved_model.save(Embedder(), "embedder")  # (3)!
print(sorted(os.listdir("embedder")))
# --8<-- [end:hub_module]

# --8<-- [start:hub_wrap]
keras.utils.set_random_seed(2)
inputs = keras.Input(shape=(3,))
embedded = keras.layers.TFSMLayer("embedder", call_endpoint="__call__")(inputs)  # (1)!
head = keras.Model(inputs, keras.layers.Dense(1)(embedded))
print("trainable:", [w.name for w in head.trainable_weights])  # (2)!
print("non-trainable:", [w.name for w in head.non_trainable_weights])
head.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
history = head.fit(x, y, epochs=3, verbose=0)
print("loss per epoch:", [round(v, 4) for v in history.history["loss"]])
# --8<-- [end:hub_wrap]

# --8<-- [start:hub_frozen]
frozen = keras.layers.TFSMLayer("embedder", call_endpoint="__call__", trainable=False)  # (1)!
print("trainable weights:", len(frozen.trainable_weights), "| non-trainable:", len(frozen.non_trainable_weights))
# --8<-- [end:hub_frozen]
