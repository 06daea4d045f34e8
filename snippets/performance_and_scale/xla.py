"""XLA compilation with jit_compile: what "auto" means, what cannot compile, eager debugging.

Run it as a script: python snippets/performance_and_scale/xla.py
"""

# --8<-- [start:imports]
import re
import warnings

import numpy as np
import tensorflow as tf
import keras

rng = np.random.default_rng(0)
x = rng.normal(size=(64, 8)).astype("float32")
y = np.sin(x.sum(axis=1, keepdims=True)).astype("float32")


def build(*extra_layers, jit_compile="auto", run_eagerly=False):
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="tanh"),
                              *extra_layers, keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse",
                  jit_compile=jit_compile, run_eagerly=run_eagerly)
    return model
# --8<-- [end:imports]

# --8<-- [start:auto]
print("devices:", [device.device_type for device in tf.config.list_physical_devices()])
print("jit_compile='auto' ->", build().jit_compile)  # (1)!
print("jit_compile=True   ->", build(jit_compile=True).jit_compile)
# --8<-- [end:auto]

# --8<-- [start:side_by_side]
def train(jit_compile):
    model = build(jit_compile=jit_compile)
    losses = model.fit(x, y, batch_size=32, epochs=2, shuffle=False, verbose=0).history["loss"]
    predictions = model.predict(x, verbose=0).ravel()
    print(f"jit_compile={jit_compile!s:5} loss:", " ".join(f"{v:.5f}" for v in losses))
    print(f"jit_compile={jit_compile!s:5} first predictions:",
          " ".join(f"{v:.5f}" for v in predictions[:2]))
    return np.concatenate([losses, predictions])  # (1)!


eager = train(jit_compile=False)
# --8<-- [end:side_by_side]

# --8<-- [start:side_by_side_xla]
compiled = train(jit_compile=True)
print("bit for bit (==):", np.array_equal(eager, compiled))
print("within 1e-6:", np.allclose(eager, compiled, rtol=0, atol=1e-6))  # (1)!
# --8<-- [end:side_by_side_xla]


# --8<-- [start:unsupported]
class PyFunctionLayer(keras.layers.Layer):
    def call(self, inputs):
        outputs = tf.py_function(lambda t: 2 * t, [inputs], tf.float32)  # (1)!
        outputs.set_shape(inputs.shape)
        return outputs


class StringLayer(keras.layers.Layer):
    def call(self, inputs):
        return tf.strings.to_number(tf.strings.as_string(inputs))  # (2)!


def first_xla_error(error):
    line = next(line for line in str(error).splitlines() if "Detected unsupported" in line)
    return re.sub(r"graph \S+", "graph <name>", line.split(" (No registered")[0])  # (3)!


for layer_class in [PyFunctionLayer, StringLayer]:
    for jit_compile in [False, True]:
        model = build(layer_class(), jit_compile=jit_compile)
        try:
            model.predict(x, verbose=0)
            print(f"{layer_class.__name__:15} jit_compile={jit_compile!s:5} runs")
        except tf.errors.InvalidArgumentError as error:
            print(f"{layer_class.__name__:15} jit_compile={jit_compile!s:5} "
                  f"{type(error).__name__}: {first_xla_error(error)}")
# --8<-- [end:unsupported]


# --8<-- [start:numpy_in_call]
class NumpyLayer(keras.layers.Layer):
    def call(self, inputs):
        return inputs - np.mean(np.asarray(inputs))  # (1)!


for options in [dict(jit_compile=True), dict(jit_compile=False), dict(run_eagerly=True)]:
    try:
        build(NumpyLayer(), **options).fit(x, y, batch_size=16, epochs=1, verbose=0)
        print(options, "trains")
    except NotImplementedError as error:
        message = re.sub(r"\x1b\[[0-9;]*m", "", str(error).splitlines()[2])  # drop the bold markup
        message = re.sub(r"tf\.Tensor \(\S+\)", "tf.Tensor (...)", message)  # (2)!
        print(options, f"{type(error).__name__}: {message}")
# --8<-- [end:numpy_in_call]


# --8<-- [start:data_dependent]
class PositiveMean(keras.layers.Layer):
    def call(self, inputs):
        positive = tf.boolean_mask(inputs, inputs > 0)  # (1)!
        return inputs - tf.reduce_mean(positive)


def evaluate_positive_mean(jit_compile):
    model = build(PositiveMean(), jit_compile=jit_compile)
    loss = model.evaluate(x, y, batch_size=32, verbose=0)
    print(f"jit_compile={jit_compile!s:5} loss {loss:.6f}")


evaluate_positive_mean(jit_compile=False)
# --8<-- [end:data_dependent]

# --8<-- [start:data_dependent_xla]
evaluate_positive_mean(jit_compile=True)
# --8<-- [end:data_dependent_xla]

# --8<-- [start:run_eagerly]
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    model = build(jit_compile=True, run_eagerly=True)
print("jit_compile:", model.jit_compile, "| run_eagerly:", model.run_eagerly)
print("warning:", caught[0].message)
# --8<-- [end:run_eagerly]

# --8<-- [start:save]
model = build(jit_compile=True)
model.save("xla.keras")
reloaded = keras.models.load_model("xla.keras")
print("compile config:", reloaded.get_compile_config()["jit_compile"], "| jit_compile:", reloaded.jit_compile)
print("same predictions:", np.allclose(model.predict(x, verbose=0), reloaded.predict(x, verbose=0)))
print("same layer configs:", all(a.get_config() == b.get_config() for a, b in zip(reloaded.layers, model.layers)))
# --8<-- [end:save]
