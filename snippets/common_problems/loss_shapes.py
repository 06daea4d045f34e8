"""Loss input shapes: (batch,) targets against (batch, 1) predictions, and multi-output shapes.

Run it as a script: python snippets/common_problems/loss_shapes.py
"""

# --8<-- [start:imports]
import numpy as np
import keras

keras.utils.set_random_seed(0)
x = np.array([[1.0], [2.0], [3.0], [4.0]], dtype="float32")
y = np.array([1.0, 2.0, 3.0, 4.0], dtype="float32")  # shape (4,), no trailing 1


def fixed_model():  # y_pred = x + 0.5, so every error is 0.5 and the right MSE is 0.25
    return keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(
        1, kernel_initializer="ones", bias_initializer=keras.initializers.Constant(0.5))])


def squared_error(y_true, y_pred):
    return keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)
# --8<-- [end:imports]


# --8<-- [start:compile_aligns]
model = fixed_model()
model.compile(optimizer="sgd", loss=squared_error)  # (1)!
print("y:", y.shape, "y_pred:", tuple(model(x).shape))
print("evaluate:", round(model.evaluate(x, y, verbose=0), 4))
# --8<-- [end:compile_aligns]


# --8<-- [start:by_hand]
y_pred = model.predict(x, verbose=0)
difference = y - y_pred  # (1)!
print("difference:", tuple(difference.shape))
print("by hand:", round(float(keras.ops.mean(squared_error(y, y_pred))), 4))
# --8<-- [end:by_hand]


# --8<-- [start:loss_subclass]
class SquaredError(keras.losses.Loss):
    def call(self, y_true, y_pred):
        return keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)


subclassed = fixed_model()
subclassed.compile(optimizer="sgd", loss=SquaredError())
print("Loss subclass in compile:", round(subclassed.evaluate(x, y, verbose=0), 4))
print("built-in MSE by hand:", round(float(keras.losses.MeanSquaredError()(y, y_pred)), 4))
# --8<-- [end:loss_subclass]


# --8<-- [start:train_step]
class HandLoss(keras.Model):
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):  # (1)!
        return keras.ops.mean(squared_error(y, y_pred))  # (2)!


inputs = keras.Input(shape=(1,))
outputs = keras.layers.Dense(
    1, kernel_initializer="ones", bias_initializer=keras.initializers.Constant(0.5))(inputs)
hand = HandLoss(inputs, outputs)
hand.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0))  # (3)!
history = hand.fit(x, y, batch_size=4, epochs=1, verbose=0)
print("loss in compute_loss:", round(history.history["loss"][0], 4))
# --8<-- [end:train_step]


# --8<-- [start:fix]
targets = keras.ops.reshape(y, (-1, 1))  # (1)!
print("reshape:", round(float(keras.ops.mean(squared_error(targets, y_pred))), 4))
targets = keras.ops.expand_dims(y, axis=-1)
print("expand_dims:", round(float(keras.ops.mean(squared_error(targets, y_pred))), 4))
# --8<-- [end:fix]


# --8<-- [start:multi_output_shape]
class SplitLast(keras.layers.Layer):
    def __init__(self, first, **kwargs):
        super().__init__(**kwargs)
        self.first = first

    def call(self, inputs):
        return inputs[:, :self.first], inputs[:, self.first:]

    def compute_output_shape(self, input_shape):
        batch, features = input_shape
        return (batch, self.first), (batch, features - self.first)  # (1)!

    def get_config(self):
        return {**super().get_config(), "first": self.first}


head, tail = SplitLast(first=2)(keras.Input(shape=(5,)))
print("symbolic:", head.shape, tail.shape)
head, tail = SplitLast(first=2)(np.ones((3, 5), dtype="float32"))
print("eager:", tuple(head.shape), tuple(tail.shape))
# --8<-- [end:multi_output_shape]


try:
    # --8<-- [start:multi_output_wrong]
    class SplitLastWrong(keras.layers.Layer):
        def call(self, inputs):
            return inputs[:, :2], inputs[:, 2:]

        def compute_output_shape(self, input_shape):
            return (input_shape[0], 2)  # one shape for two outputs

    head, tail = SplitLastWrong()(keras.Input(shape=(5,)))
    # --8<-- [end:multi_output_wrong]
except NotImplementedError as error:
    print(f"{type(error).__name__}: {error}")
