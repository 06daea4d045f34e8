"""Lab: a custom training loop with a custom streaming metric and a learning-rate schedule,
compared with fit on the same model, data and seed.

Run it as a script: python snippets/labs/custom_loop_lab.py
"""

# --8<-- [start:imports]
import json
import numpy as np
import tensorflow as tf
import keras
# --8<-- [end:imports]

# --8<-- [start:data]
rng = np.random.default_rng(3)
x = rng.normal(size=(256, 4)).astype("float32")
y = (np.sin(x[:, :1]) + 0.5 * x[:, 1:2] * x[:, 2:3] - x[:, 3:4]
     + 0.1 * rng.normal(size=(256, 1))).astype("float32")
dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(32)  # (1)!
print("batches per epoch:", len(dataset))
# --8<-- [end:data]

# --8<-- [start:metric]
@keras.saving.register_keras_serializable(package="keras_hooks")
class StreamingRMSE(keras.metrics.Metric):
    def __init__(self, name="rmse", **kwargs):
        super().__init__(name=name, **kwargs)
        self.sum_sq_error = self.add_variable(shape=(), initializer="zeros", name="sum_sq_error")
        self.count = self.add_variable(shape=(), initializer="zeros", name="count")

    def update_state(self, y_true, y_pred, sample_weight=None):
        error = keras.ops.cast(y_true, self.dtype) - keras.ops.cast(y_pred, self.dtype)
        self.sum_sq_error.assign_add(keras.ops.sum(keras.ops.square(error)))  # (1)!
        self.count.assign_add(keras.ops.cast(keras.ops.size(error), self.dtype))

    def result(self):
        return keras.ops.sqrt(keras.ops.divide_no_nan(self.sum_sq_error, self.count))  # (2)!
# --8<-- [end:metric]

# --8<-- [start:schedule]
@keras.saving.register_keras_serializable(package="keras_hooks")
class WarmupInverseSqrt(keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self, peak, warmup_steps):
        self.peak = peak
        self.warmup_steps = warmup_steps

    def __call__(self, step):
        step = keras.ops.cast(step, "float32") + 1.0  # (1)!
        warmup = keras.ops.cast(self.warmup_steps, "float32")
        return self.peak * keras.ops.minimum(step / warmup, keras.ops.sqrt(warmup / step))  # (2)!

    def get_config(self):
        return {"peak": self.peak, "warmup_steps": self.warmup_steps}
# --8<-- [end:schedule]

# --8<-- [start:schedule_values]
schedule = WarmupInverseSqrt(peak=0.02, warmup_steps=8)
for step in [0, 1, 3, 7, 8, 15, 31]:
    print(f"step {step:>2}: {float(schedule(step)):.5f}")
# --8<-- [end:schedule_values]

# --8<-- [start:build]
def build_model():
    keras.utils.set_random_seed(1)  # (1)!
    return keras.Sequential([
        keras.Input(shape=(4,)),
        keras.layers.Dense(16, activation="relu", kernel_regularizer=keras.regularizers.L2(1e-3)),
        keras.layers.Dropout(0.1, seed=2),  # (2)!
        keras.layers.Dense(1),
    ])


model = build_model()
optimizer = keras.optimizers.Adam(learning_rate=WarmupInverseSqrt(peak=0.02, warmup_steps=8))
loss_fn = keras.losses.MeanSquaredError()
loss_tracker = keras.metrics.Mean(name="loss")
rmse = StreamingRMSE()
print("regularization losses:", len(model.losses))
# --8<-- [end:build]

# --8<-- [start:step]
@tf.function
def train_step(x_batch, y_batch):
    with tf.GradientTape() as tape:
        y_pred = model(x_batch, training=True)
        loss = loss_fn(y_batch, y_pred) + keras.ops.sum(model.losses)  # (1)!
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply(gradients, model.trainable_variables)  # (2)!
    loss_tracker.update_state(loss)
    rmse.update_state(y_batch, y_pred)  # (3)!
# --8<-- [end:step]

# --8<-- [start:loop]
epochs = 4
loop_history = {"loss": [], "rmse": []}
for epoch in range(1, epochs + 1):
    loss_tracker.reset_state()  # (1)!
    rmse.reset_state()
    for x_batch, y_batch in dataset:
        train_step(x_batch, y_batch)
    loop_history["loss"].append(float(loss_tracker.result()))
    loop_history["rmse"].append(float(rmse.result()))
    print(
        f"epoch {epoch}: loss {loop_history['loss'][-1]:.4f}"
        f"  rmse {loop_history['rmse'][-1]:.4f}"
        f"  steps {int(optimizer.iterations)}"
        f"  next lr {float(optimizer.learning_rate):.5f}"  # (2)!
    )
# --8<-- [end:loop]

# --8<-- [start:fit]
reference = build_model()
reference.compile(
    optimizer=keras.optimizers.Adam(learning_rate=WarmupInverseSqrt(peak=0.02, warmup_steps=8)),
    loss="mse",
    metrics=[StreamingRMSE()],
)
history = reference.fit(dataset, epochs=epochs, shuffle=False, verbose=0)  # (1)!
for epoch in range(epochs):
    print(f"epoch {epoch + 1}: loss {history.history['loss'][epoch]:.4f}  rmse {history.history['rmse'][epoch]:.4f}")
# --8<-- [end:fit]

# --8<-- [start:compare]
weight_diff = max(
    float(np.max(np.abs(a - b))) for a, b in zip(model.get_weights(), reference.get_weights())
)
metric_diff = max(
    abs(a - b) for name in ("loss", "rmse") for a, b in zip(loop_history[name], history.history[name])
)
print("max |weight difference|:", round(weight_diff, 8))
print("max |metric difference|:", round(metric_diff, 8))
print("equal within 1e-5:", weight_diff < 1e-5 and metric_diff < 1e-5)
# --8<-- [end:compare]

# --8<-- [start:save]
before = reference.predict(x, verbose=0)
reference.save("custom_loop_lab.keras")
reloaded = keras.models.load_model("custom_loop_lab.keras")
print("same config:", json.dumps(reloaded.get_config()) == json.dumps(reference.get_config()))
print("same predictions:", np.allclose(before, reloaded.predict(x, verbose=0)))

saved_schedule = reloaded.optimizer.get_config()["learning_rate"]  # (1)!
print(saved_schedule["class_name"], saved_schedule["config"])
saved_metric = reloaded.get_compile_config()["metrics"][0]
print(saved_metric["registered_name"], saved_metric["config"])
print("steps restored:", int(reloaded.optimizer.iterations))
# --8<-- [end:save]
