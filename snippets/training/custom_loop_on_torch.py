"""The custom training loop of the TensorFlow and JAX modules, on PyTorch: loss.backward().

Run it as a script: python snippets/training/custom_loop_on_torch.py
It needs PyTorch: pip install torch
"""

# --8<-- [start:backend_loop]
import os

os.environ["KERAS_BACKEND"] = "torch"  # (1)!

import torch
import keras
import numpy as np

rng = np.random.default_rng(0)  # NumPy draws the same data on every backend
x = rng.normal(size=(64, 3)).astype("float32")
y = x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32") + 0.3

model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1, kernel_initializer="zeros")])
loss_fn = keras.losses.MeanSquaredError()
optimizer = keras.optimizers.SGD(0.1)

epoch_losses = []
for epoch in range(3):
    losses = []
    for start in range(0, len(x), 16):
        x_batch, y_batch = x[start:start + 16], y[start:start + 16]
        model.zero_grad()  # (2)!
        loss = loss_fn(y_batch, model(x_batch, training=True))
        loss.backward()
        gradients = [variable.value.grad for variable in model.trainable_variables]
        with torch.no_grad():
            optimizer.apply(gradients, model.trainable_variables)
        losses.append(float(loss.detach()))  # (3)!
    epoch_losses.append(round(float(np.mean(losses)), 4))

print(keras.backend.backend(), epoch_losses)
# --8<-- [end:backend_loop]
