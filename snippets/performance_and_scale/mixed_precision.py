"""Mixed precision: dtype policies, custom layers, losses and metrics, loss scaling.

Run it as a script: python snippets/performance_and_scale/mixed_precision.py
"""

# --8<-- [start:imports]
import re
import warnings

import numpy as np
import tensorflow as tf
import keras


def dtype_name(value):
    return keras.backend.standardize_dtype(value.dtype)
# --8<-- [end:imports]

# --8<-- [start:policies]
for name in ["mixed_float16", "mixed_bfloat16"]:
    keras.mixed_precision.set_global_policy(name)  # (1)!
    policy = keras.mixed_precision.global_policy()
    layer = keras.layers.Dense(2)
    outputs = layer(np.ones((1, 3), "float32"))
    print(f"{name:15} compute={policy.compute_dtype:8} variables={policy.variable_dtype}"
          f"  kernel={dtype_name(layer.kernel)}  output={dtype_name(outputs)}")
keras.mixed_precision.set_global_policy("float32")  # (2)!
# --8<-- [end:policies]

# --8<-- [start:custom_layer]
class Scale(keras.layers.Layer):
    def build(self, input_shape):
        self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones")  # (1)!
        self.steps = self.add_weight(shape=(), initializer="zeros", dtype="int32",
                                     trainable=False)  # (2)!

    def call(self, inputs):
        print("in call:  inputs", dtype_name(inputs), "| scale", dtype_name(self.scale))  # (3)!
        return inputs * self.scale


keras.mixed_precision.set_global_policy("mixed_float16")
scale = Scale()
outputs = scale(np.ones((2, 3), "float32"))  # (4)!
print("outside:  scale", dtype_name(scale.scale), "| steps", dtype_name(scale.steps),
      "| outputs", dtype_name(outputs))
keras.mixed_precision.set_global_policy("float32")
# --8<-- [end:custom_layer]

# --8<-- [start:float16_range]
big = keras.ops.convert_to_tensor([12.0, 70000.0])
tiny = keras.ops.convert_to_tensor([1e-4, 1e-8])
print("exp(12), 70000 in float16:", keras.ops.convert_to_numpy(
    keras.ops.cast(keras.ops.stack([keras.ops.exp(big[0]), big[1]]), "float16")))
print("1e-4, 1e-8 in float16:    ", keras.ops.convert_to_numpy(keras.ops.cast(tiny, "float16")))
print("70000, 1e-8 in bfloat16:  ", keras.ops.convert_to_numpy(
    keras.ops.cast(keras.ops.stack([big[1], tiny[1]]), "bfloat16")).astype("float32"))
# --8<-- [end:float16_range]

# --8<-- [start:output_layer]
def build(output_dtype=None):
    keras.utils.set_random_seed(3)
    inputs = keras.Input((3,))
    hidden = keras.layers.Dense(8, activation="relu")(inputs)
    logits = keras.layers.Dense(2)(hidden)
    outputs = keras.layers.Activation("softmax", dtype=output_dtype)(logits)  # (1)!
    return keras.Model(inputs, outputs)


keras.mixed_precision.set_global_policy("mixed_float16")
all_half, float32_output = build(), build(output_dtype="float32")
x = np.random.default_rng(0).normal(size=(32, 3)).astype("float32")
y = (x[:, :1] > 0).astype("int32")
print("without dtype=float32:", dtype_name(all_half(x[:2])))
print("with dtype=float32:   ", dtype_name(float32_output(x[:2])))
print("output layer policy:  ", float32_output.layers[-1].dtype_policy.name)
keras.mixed_precision.set_global_policy("float32")
# --8<-- [end:output_layer]

# --8<-- [start:loss_and_metric]
seen = {}


def recording_crossentropy(y_true, y_pred):
    seen["loss"] = (dtype_name(y_true), dtype_name(y_pred))  # (1)!
    return keras.losses.sparse_categorical_crossentropy(y_true, y_pred)


class MeanConfidence(keras.metrics.Metric):
    def __init__(self, name="mean_confidence", **kwargs):
        super().__init__(name=name, **kwargs)
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", name="count")

    def update_state(self, y_true, y_pred, sample_weight=None):
        seen["metric"] = (dtype_name(y_true), dtype_name(y_pred))  # (2)!
        y_pred = keras.ops.cast(y_pred, self.dtype)  # (3)!
        self.total.assign_add(keras.ops.sum(keras.ops.max(y_pred, axis=-1)))
        self.count.assign_add(keras.ops.cast(keras.ops.shape(y_pred)[0], self.dtype))

    def result(self):
        return self.total / self.count


def show_dtypes(model):
    keras.mixed_precision.set_global_policy("mixed_float16")
    model.compile(optimizer="sgd", loss=recording_crossentropy, metrics=[MeanConfidence()])
    model.fit(x, y, batch_size=32, epochs=1, verbose=0)
    keras.mixed_precision.set_global_policy("float32")
    print("loss gets", seen["loss"], "| metric gets", seen["metric"],
          "| metric dtype", model.metrics[1].metrics[0].dtype)


show_dtypes(all_half)
# --8<-- [end:loss_and_metric]

# --8<-- [start:loss_and_metric_float32]
show_dtypes(float32_output)
# --8<-- [end:loss_and_metric_float32]

# --8<-- [start:underflow]
keras.mixed_precision.set_global_policy("mixed_float16")


def tiny_loss(y_true, y_pred):
    return 1e-8 * keras.ops.sum(y_pred, axis=-1)  # (1)!


def gradient_of_one_step(auto_scale_loss):
    model = keras.Sequential([keras.Input((2,)),
                              keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0), loss=tiny_loss,
                  auto_scale_loss=auto_scale_loss)  # (2)!
    model.train_on_batch(np.ones((1, 2), "float32"), np.zeros((1, 1), "float32"))
    kernel = keras.ops.convert_to_numpy(model.layers[0].kernel).ravel()
    return model.optimizer, 0.0 - kernel  # (3)!


plain, unscaled = gradient_of_one_step(auto_scale_loss=False)
wrapped, scaled = gradient_of_one_step(auto_scale_loss=True)
print("optimizers:           ", type(plain).__name__, "|", type(wrapped).__name__)
print("loss scale:           ", float(wrapped.dynamic_scale))  # (4)!
print("gradient, no scaling: ", unscaled)
print("gradient, scaled:     ", scaled)
keras.mixed_precision.set_global_policy("float32")
# --8<-- [end:underflow]

# --8<-- [start:train_step_default]
rng = np.random.default_rng(1)  # NumPy draws the same weights on every backend
initial_weights = [rng.normal(0.0, 0.5, (3, 8)).astype("float32"), np.zeros(8, "float32"),
                   rng.normal(0.0, 0.5, (8, 1)).astype("float32"), np.zeros(1, "float32")]


def build_regressor(model_class=keras.Model):
    inputs = keras.Input((3,))
    hidden = keras.layers.Dense(8, activation="relu")(inputs)
    outputs = keras.layers.Dense(1, dtype="float32")(hidden)
    model = model_class(inputs, outputs)
    model.set_weights(initial_weights)
    return model


targets = x @ np.array([[1.0], [-2.0], [0.5]], "float32")


def train(model_class):
    keras.mixed_precision.set_global_policy("mixed_float16")
    model = build_regressor(model_class)
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")  # (1)!
    history = model.fit(x, targets, batch_size=16, epochs=2, shuffle=False, verbose=0)
    keras.mixed_precision.set_global_policy("float32")
    print(type(model).__name__, type(model.optimizer).__name__,
          [round(value, 3) for value in history.history["loss"]])
    return model


default = train(keras.Model)
print("steps:", int(default.optimizer.iterations), "| loss scale:", float(default.optimizer.dynamic_scale))
# --8<-- [end:train_step_default]

# --8<-- [start:save]
default.save("mixed.keras")  # (1)!
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    reloaded = keras.models.load_model("mixed.keras")  # (2)!
print("global policy now:", keras.mixed_precision.global_policy().name)
print("layer policies:   ", [layer.dtype_policy.name for layer in reloaded.layers])
print("same layer configs:", all(a.get_config() == b.get_config() for a, b in zip(reloaded.layers, default.layers)))
print("same predictions: ", np.allclose(default.predict(x, verbose=0), reloaded.predict(x, verbose=0)))
print("optimizer:        ", type(reloaded.optimizer).__name__)
for warning in caught:
    print("warning:", re.sub(r"optimizer '\w+'", "optimizer '...'", str(warning.message).strip()))  # (3)!
# --8<-- [end:save]

# --8<-- [start:save_mixed]
keras.mixed_precision.set_global_policy("mixed_float16")
reloaded = keras.models.load_model("mixed.keras")
print(type(reloaded.optimizer).__name__, int(reloaded.optimizer.iterations),
      float(reloaded.optimizer.dynamic_scale))
print("same layer configs:", all(a.get_config() == b.get_config() for a, b in zip(reloaded.layers, default.layers)))
keras.mixed_precision.set_global_policy("float32")
# --8<-- [end:save_mixed]

# --8<-- [start:train_step]
class ScaledStepModel(keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred, training=True)
            scaled_loss = self.optimizer.scale_loss(loss)  # (1)!
        gradients = tape.gradient(scaled_loss, self.trainable_variables)
        self.optimizer.apply(gradients, self.trainable_variables)  # (2)!
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)  # (3)!
            else:
                metric.update_state(y, y_pred)
        return self.get_metrics_result()


custom = train(ScaledStepModel)
print("same weights as fit:", all(np.allclose(a, b) for a, b in zip(default.get_weights(), custom.get_weights())))
# --8<-- [end:train_step]

# --8<-- [start:custom_loop]
keras.mixed_precision.set_global_policy("mixed_float16")
model = build_regressor()
optimizer = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.05))
dataset = tf.data.Dataset.from_tensor_slices((x, targets)).batch(16)


@tf.function
def train_on_batch(batch_x, batch_y):
    with tf.GradientTape() as tape:
        predictions = model(batch_x, training=True)
        loss = keras.ops.mean(keras.losses.mean_squared_error(batch_y, predictions))
        scaled_loss = optimizer.scale_loss(loss)
    gradients = tape.gradient(scaled_loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))  # (1)!
    return loss


for epoch in range(2):
    losses = [float(train_on_batch(batch_x, batch_y)) for batch_x, batch_y in dataset]
    print(f"epoch {epoch}: mean loss {np.mean(losses):.3f}")
print("same weights as fit:", all(np.allclose(a, b) for a, b in zip(model.get_weights(), default.get_weights())))
print("steps:", int(optimizer.iterations), "| loss scale:", float(optimizer.dynamic_scale))
keras.mixed_precision.set_global_policy("float32")
# --8<-- [end:custom_loop]

# --8<-- [start:raw_tf_ops]
class Shift(keras.layers.Layer):
    def call(self, inputs):
        return inputs - tf.constant(0.5)  # (1)!


keras.mixed_precision.set_global_policy("mixed_float16")
try:
    Shift()(np.ones((2, 3), "float32"))
except tf.errors.InvalidArgumentError as error:
    message = next(line for line in str(error).splitlines() if "cannot compute" in line)
    message = re.sub(r"\x1b\[[0-9;]*m", "", message).strip()  # (2)!
    print(f"{type(error).__name__}: {message}")
finally:
    keras.mixed_precision.set_global_policy("float32")
# --8<-- [end:raw_tf_ops]

try:
    # --8<-- [start:get_scaled_loss]
    optimizer = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.1))
    optimizer.get_scaled_loss(tf.constant(2.0))
    # --8<-- [end:get_scaled_loss]
except AttributeError as error:
    print(f"{type(error).__name__}: {error}")

try:
    # --8<-- [start:dynamic_false]
    keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.1), dynamic=False, initial_scale=1024)
    # --8<-- [end:dynamic_false]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:fixed_scale]
fixed = keras.optimizers.SGD(0.1, loss_scale_factor=1024.0)
print(float(fixed.scale_loss(keras.ops.convert_to_tensor(2.0))))
# --8<-- [end:fixed_scale]
