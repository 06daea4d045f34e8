"""The custom training loop of the TensorFlow and PyTorch modules, on JAX: pure functions of the state.

Run it as a script: python snippets/training/custom_loop_on_jax.py
It needs JAX: pip install jax
"""

# --8<-- [start:backend_loop]
import os

os.environ["KERAS_BACKEND"] = "jax"  # (1)!

import jax
import keras
import numpy as np

rng = np.random.default_rng(0)  # NumPy draws the same data on every backend
x = rng.normal(size=(64, 3)).astype("float32")
y = x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32") + 0.3

model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1, kernel_initializer="zeros")])
loss_fn = keras.losses.MeanSquaredError()
optimizer = keras.optimizers.SGD(0.1)


def loss_and_state(trainable, non_trainable, x_batch, y_batch):
    y_pred, non_trainable = model.stateless_call(trainable, non_trainable, x_batch, training=True)
    return loss_fn(y_batch, y_pred), non_trainable


@jax.jit  # (2)!
def train_step(state, x_batch, y_batch):
    trainable, non_trainable, optimizer_vars = state
    grad_fn = jax.value_and_grad(loss_and_state, has_aux=True)
    (loss, non_trainable), gradients = grad_fn(trainable, non_trainable, x_batch, y_batch)
    trainable, optimizer_vars = optimizer.stateless_apply(optimizer_vars, gradients, trainable)
    return loss, (trainable, non_trainable, optimizer_vars)


optimizer.build(model.trainable_variables)
state = ([v.value for v in model.trainable_variables], [v.value for v in model.non_trainable_variables],
         [v.value for v in optimizer.variables])
epoch_losses = []
for epoch in range(3):
    losses = []
    for start in range(0, len(x), 16):
        loss, state = train_step(state, x[start:start + 16], y[start:start + 16])
        losses.append(float(loss))
    epoch_losses.append(round(float(np.mean(losses)), 4))
for variable, value in zip(model.trainable_variables, state[0]):  # (3)!
    variable.assign(value)

print(keras.backend.backend(), epoch_losses)
# --8<-- [end:backend_loop]
