"""The same custom train_step as the TensorFlow and JAX modules, on PyTorch: loss.backward().

Run it as a script: python snippets/training/train_step_on_torch.py
It needs PyTorch: pip install torch
"""

# --8<-- [start:step]
import os

os.environ["KERAS_BACKEND"] = "torch"  # (1)!

import torch
import keras
import numpy as np

rng = np.random.default_rng(0)  # NumPy draws the same data on every backend
x = rng.normal(size=(64, 3)).astype("float32")
y = x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32") + 0.3


class BackwardModel(keras.Model):
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

    def train_step(self, data):
        x, y = data
        self.zero_grad()  # (2)!
        loss = self.loss_fn(y, self(x, training=True))
        loss.backward()
        variables = self.trainable_variables
        gradients = [variable.value.grad for variable in variables]
        with torch.no_grad():  # (3)!
            self.optimizer.apply(gradients, variables)
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}

model = BackwardModel()
model.compile(optimizer=keras.optimizers.SGD(0.1))
history = model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
print(keras.backend.backend(), [round(loss, 4) for loss in history.history["loss"]])
# --8<-- [end:step]
