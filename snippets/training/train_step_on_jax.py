"""The same custom train_step as the TensorFlow and PyTorch modules, on JAX: a pure function of the state.

Run it as a script: python snippets/training/train_step_on_jax.py
It needs JAX: pip install jax
"""

# --8<-- [start:step]
import os

os.environ["KERAS_BACKEND"] = "jax"  # (1)!

import jax
import keras
import numpy as np

rng = np.random.default_rng(0)  # NumPy draws the same data on every backend
x = rng.normal(size=(64, 3)).astype("float32")
y = x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32") + 0.3


class StatelessModel(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1, kernel_initializer="zeros")  # no random draw
        self.loss_fn = keras.losses.MeanSquaredError()
        self.loss_tracker = keras.metrics.Mean(name="loss")

    def call(self, inputs, training=False):
        return self.dense(inputs)

    @property
    def metrics(self):
        return [self.loss_tracker]  # reset by fit at each epoch

    def loss_and_state(self, trainable, non_trainable, x, y):
        y_pred, non_trainable = self.stateless_call(trainable, non_trainable, x, training=True)  # (2)!
        return self.loss_fn(y, y_pred), non_trainable

    def train_step(self, state, data):  # (3)!
        trainable, non_trainable, optimizer_vars, metrics_vars = state
        x, y = data
        grad_fn = jax.value_and_grad(self.loss_and_state, has_aux=True)
        (loss, non_trainable), gradients = grad_fn(trainable, non_trainable, x, y)
        trainable, optimizer_vars = self.optimizer.stateless_apply(optimizer_vars, gradients, trainable)
        metrics_vars = self.loss_tracker.stateless_update_state(metrics_vars, loss)
        logs = {"loss": self.loss_tracker.stateless_result(metrics_vars)}
        return logs, (trainable, non_trainable, optimizer_vars, metrics_vars)

model = StatelessModel()
model.compile(optimizer=keras.optimizers.SGD(0.1))
history = model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
print(keras.backend.backend(), [round(loss, 4) for loss in history.history["loss"]])
# --8<-- [end:step]
