"""A complete custom training loop, compared with fit on the same data and seed.

Run it as a script: python snippets/training/custom_loop.py
"""

# --8<-- [start:imports]
import time

import numpy as np
import tensorflow as tf
import keras
# --8<-- [end:imports]

# --8<-- [start:data]
rng = np.random.default_rng(0)
x = rng.normal(size=(64, 3)).astype("float32")
y = x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32") + 0.3
dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(16)  # (1)!


def build():
    keras.utils.set_random_seed(7)
    return keras.Sequential([
        keras.Input(shape=(3,)),
        keras.layers.Dense(
            1,
            kernel_regularizer=keras.regularizers.L2(0.01),  # (2)!
            kernel_constraint=keras.constraints.NonNeg(),  # (3)!
        ),
    ])
# --8<-- [end:data]

# --8<-- [start:pieces]
model = build()
loss_fn = keras.losses.MeanSquaredError()
optimizer = keras.optimizers.SGD(learning_rate=0.05)
loss_tracker = keras.metrics.Mean(name="loss")  # (1)!
mae_metric = keras.metrics.MeanAbsoluteError(name="mae")

print("regularization losses:", len(model.losses))
print("value:", round(float(model.losses[0]), 4))
# --8<-- [end:pieces]

# --8<-- [start:step]
@tf.function  # (1)!
def train_step(x_batch, y_batch):
    with tf.GradientTape() as tape:
        y_pred = model(x_batch, training=True)
        main_loss = loss_fn(y_batch, y_pred)
        loss = main_loss + keras.ops.sum(model.losses)  # (2)!
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply(gradients, model.trainable_variables)  # (3)!
    loss_tracker.update_state(loss)  # (4)!
    mae_metric.update_state(y_batch, y_pred)
# --8<-- [end:step]

# --8<-- [start:loop]
epochs = 3
loop_losses = []
for epoch in range(1, epochs + 1):
    loss_tracker.reset_state()  # (1)!
    mae_metric.reset_state()
    for step, (x_batch, y_batch) in enumerate(dataset, start=1):
        train_step(x_batch, y_batch)
    loop_losses.append(float(loss_tracker.result()))
    print(
        f"epoch {epoch}/{epochs} - {step} batches"
        f" - loss: {float(loss_tracker.result()):.4f}"
        f" - mae: {float(mae_metric.result()):.4f}"
    )
# --8<-- [end:loop]

# --8<-- [start:constraint]
kernel = keras.ops.convert_to_numpy(model.layers[0].kernel)
print("kernel:", np.round(kernel.ravel(), 4))
print("all weights >= 0:", bool((kernel >= 0).all()))
print("optimizer steps:", int(optimizer.iterations))
# --8<-- [end:constraint]

# --8<-- [start:fit]
reference = build()
reference.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss="mse", metrics=["mae"])
history = reference.fit(dataset, epochs=epochs, shuffle=False, verbose=0)  # (1)!

print("fit:  ", [round(v, 4) for v in history.history["loss"]])
print("loop: ", [round(v, 4) for v in loop_losses])
print("same losses:", np.allclose(history.history["loss"], loop_losses, rtol=0, atol=1e-6))
print("same weights:", all(
    np.allclose(a, b, rtol=0, atol=1e-6)
    for a, b in zip(reference.get_weights(), model.get_weights())
))
# --8<-- [end:fit]

# --8<-- [start:traces]
print("traces so far:", train_step.experimental_get_tracing_count())
for x_batch, y_batch in dataset.unbatch().batch(24):  # (1)!
    train_step(x_batch, y_batch)
print("after batches of 24, 24 and 16:", train_step.experimental_get_tracing_count())
# --8<-- [end:traces]

# --8<-- [start:speed]
eager_step = train_step.python_function  # (1)!
x_batch, y_batch = next(iter(dataset))


def seconds_for(step_function, repeats=20):
    step_function(x_batch, y_batch)  # (2)!
    start = time.perf_counter()
    for _ in range(repeats):
        step_function(x_batch, y_batch)
    return time.perf_counter() - start


print("graph step faster than eager step:", seconds_for(train_step) < seconds_for(eager_step))
# --8<-- [end:speed]

# --8<-- [start:no_reset]
stale = keras.metrics.Mean()
for epoch in range(1, 3):
    for x_batch, y_batch in dataset:
        stale.update_state(loss_fn(y_batch, model(x_batch)))
    print(f"epoch {epoch}: batches averaged = {int(stale.count)}")
# --8<-- [end:no_reset]
