"""The same custom train_step as the JAX and PyTorch modules, on TensorFlow: tf.GradientTape.

Run it as a script: python snippets/training/train_step_on_tensorflow.py
"""

# --8<-- [start:step]
import os

os.environ["KERAS_BACKEND"] = "tensorflow"  # (1)!

import tensorflow as tf
import keras
import numpy as np

rng = np.random.default_rng(0)  # NumPy draws the same data on every backend
x = rng.normal(size=(64, 3)).astype("float32")
y = x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32") + 0.3


class TapeModel(keras.Model):
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
        with tf.GradientTape() as tape:  # (2)!
            loss = self.loss_fn(y, self(x, training=True))
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(gradients, self.trainable_variables)
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}

model = TapeModel()
model.compile(optimizer=keras.optimizers.SGD(0.1))
history = model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
print(keras.backend.backend(), [round(loss, 4) for loss in history.history["loss"]])
# --8<-- [end:step]
