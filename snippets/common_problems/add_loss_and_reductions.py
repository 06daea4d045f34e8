"""add_loss edge cases and the loss-reduction changes of Keras 3, each with its exact error and
the fix.

Run it as a script: python snippets/common_problems/add_loss_and_reductions.py
"""

# --8<-- [start:imports]
import numpy as np
import keras

keras.utils.set_random_seed(0)
x = np.random.rand(16, 4).astype("float32")
# --8<-- [end:imports]

try:
    # --8<-- [start:float_add_loss]
    class ConstantPenalty(keras.layers.Layer):
        def call(self, inputs):
            self.add_loss(0.5)  # (1)!
            return inputs

    ConstantPenalty()(x)
    # --8<-- [end:float_add_loss]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")


# --8<-- [start:tensor_add_loss]
class ConstantPenalty(keras.layers.Layer):
    def call(self, inputs):
        self.add_loss(keras.ops.convert_to_tensor(0.5))  # (1)!
        return inputs


layer = ConstantPenalty()
layer(x)
print([float(loss) for loss in layer.losses])
# --8<-- [end:tensor_add_loss]

try:
    # --8<-- [start:callable_add_loss]
    dense = keras.layers.Dense(3, kernel_initializer="ones")
    dense.build((None, 4))
    dense.add_loss(lambda: 0.01 * keras.ops.sum(keras.ops.abs(dense.kernel)))
    # --8<-- [end:callable_add_loss]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:callable_add_loss_tf_keras]
import tf_keras

old_dense = tf_keras.layers.Dense(3, kernel_initializer="ones")
old_dense.build((None, 4))
old_dense.add_loss(lambda: 0.01 * tf_keras.backend.sum(tf_keras.backend.abs(old_dense.kernel)))
print([round(float(loss), 4) for loss in old_dense.losses])
# --8<-- [end:callable_add_loss_tf_keras]

# --8<-- [start:callable_fix]
dense = keras.layers.Dense(
    3, kernel_initializer="ones", kernel_regularizer=keras.regularizers.L1(0.01))
dense.build((None, 4))
print([round(float(loss), 4) for loss in dense.losses])
# --8<-- [end:callable_fix]

try:
    # --8<-- [start:functional_add_loss]
    inputs = keras.Input(shape=(4,))
    z_mean = keras.layers.Dense(2)(inputs)
    z_log_var = keras.layers.Dense(2)(inputs)
    outputs = keras.layers.Dense(4)(z_mean)
    vae = keras.Model(inputs, outputs)
    kl = -0.5 * keras.ops.mean(1 + z_log_var - z_mean**2 - keras.ops.exp(z_log_var))
    vae.add_loss(kl)
    # --8<-- [end:functional_add_loss]
except NotImplementedError as error:
    print(type(error).__name__)  # the message is empty


# --8<-- [start:kl_layer]
class KLDivergence(keras.layers.Layer):
    def __init__(self, weight, **kwargs):
        super().__init__(**kwargs)
        self.weight = weight

    def call(self, z_mean, z_log_var):
        kl = -0.5 * keras.ops.mean(
            1 + z_log_var - z_mean**2 - keras.ops.exp(z_log_var))
        self.add_loss(self.weight * kl)  # (1)!
        return z_mean  # (2)!

    def get_config(self):
        return {**super().get_config(), "weight": self.weight}


inputs = keras.Input(shape=(4,))
z_mean = keras.layers.Dense(2)(inputs)
z_log_var = keras.layers.Dense(2)(inputs)
z = KLDivergence(weight=0.5)(z_mean, z_log_var)
vae = keras.Model(inputs, keras.layers.Dense(4)(z))
vae.compile(optimizer="adam", loss="mse")
history = vae.fit(x, x, epochs=3, batch_size=8, verbose=0)
print([round(value, 4) for value in history.history["loss"]])
# --8<-- [end:kl_layer]

# --8<-- [start:kl_layer_check]
loss = vae.evaluate(x, x, batch_size=16, verbose=0)  # (1)!
mse = float(keras.losses.MeanSquaredError()(x, vae(x)))
added = float(sum(vae.losses))
print(f"evaluate: {loss:.4f}  mse: {mse:.4f}  added: {added:.4f}  sum: {mse + added:.4f}")
# --8<-- [end:kl_layer_check]

try:
    # --8<-- [start:reduction_enum]
    keras.losses.MeanSquaredError(reduction=keras.losses.Reduction.SUM)
    # --8<-- [end:reduction_enum]
except AttributeError as error:
    print(f"{type(error).__name__}: {error}")

try:
    # --8<-- [start:reduction_auto]
    keras.losses.MeanSquaredError(reduction="auto")
    # --8<-- [end:reduction_auto]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:reduction_valid]
y_true = np.array([[0.0], [0.0], [0.0], [0.0]], dtype="float32")
y_pred = np.array([[1.0], [2.0], [3.0], [4.0]], dtype="float32")
weights = np.array([1.0, 1.0, 0.0, 0.0], dtype="float32")
for reduction in ["sum_over_batch_size", "mean", "sum", "mean_with_sample_weight", "none", None]:
    loss = keras.losses.MeanSquaredError(reduction=reduction)
    value = keras.ops.convert_to_numpy(loss(y_true, y_pred, sample_weight=weights))
    print(f"{reduction!s:24} {np.round(value, 4)}")
# --8<-- [end:reduction_valid]

try:
    # --8<-- [start:reduction_tf_keras]
    print(tf_keras.losses.Reduction.all())
    tf_keras.losses.MeanSquaredError(reduction="mean")
    # --8<-- [end:reduction_tf_keras]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

try:
    # --8<-- [start:function_reduction]
    keras.losses.mean_squared_error(y_true, y_pred, reduction="sum")
    # --8<-- [end:function_reduction]
except TypeError as error:
    print(f"{type(error).__name__}: {error}")


# --8<-- [start:function_reduction_fix]
def squared_error(y_true, y_pred):
    return keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)


class SquaredError(keras.losses.Loss):  # (1)!
    def call(self, y_true, y_pred):
        return squared_error(y_true, y_pred)


print(float(SquaredError(reduction="sum")(y_true, y_pred)))
print(float(keras.losses.MeanSquaredError(reduction="sum")(y_true, y_pred)))
print(float(keras.ops.sum(keras.losses.mean_squared_error(y_true, y_pred))))
# --8<-- [end:function_reduction_fix]
