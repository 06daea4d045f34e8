"""Custom losses: a plain function, a factory with a hyperparameter, a `keras.losses.Loss`
subclass, reductions and sample weights, a numerically stable form, and the book-era
mistakes that break on Keras 3.

Run it as a script: python snippets/building_blocks/losses.py
"""

# --8<-- [start:imports]
import numpy as np
import tensorflow as tf
import keras
# --8<-- [end:imports]

# --8<-- [start:function]
def huber_fn(y_true, y_pred):
    error = y_true - y_pred
    is_small = keras.ops.abs(error) <= 1.0
    squared = 0.5 * keras.ops.square(error)
    linear = keras.ops.abs(error) - 0.5
    return keras.ops.mean(keras.ops.where(is_small, squared, linear), axis=-1)  # (1)!


y_true = np.zeros((4, 1), dtype="float32")
y_pred = np.array([[0.5], [1.0], [2.0], [4.0]], dtype="float32")
print(np.round(keras.ops.convert_to_numpy(huber_fn(y_true, y_pred)), 4))
# --8<-- [end:function]

# --8<-- [start:function_compile]
keras.utils.set_random_seed(7)
x = np.linspace(-1.0, 1.0, 96, dtype="float32").reshape(-1, 1)
y = 3.0 * x + 1.0

model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss=huber_fn)
per_example = huber_fn(y, model.predict(x, verbose=0))
print("evaluate:", round(model.evaluate(x, y, verbose=0), 4))
print("mean of the per-example values:", round(float(keras.ops.mean(per_example)), 4))
# --8<-- [end:function_compile]

# --8<-- [start:function_save]
model.save("huber_fn.keras")
by_name = keras.models.load_model(
    "huber_fn.keras", custom_objects={"huber_fn": huber_fn}  # (1)!
)

keras.saving.register_keras_serializable(package="keras_hooks")(huber_fn)  # (2)!
model.save("huber_fn_registered.keras")
registered = keras.models.load_model("huber_fn_registered.keras")  # (3)!

before = model.predict(x, verbose=0)
print(np.allclose(before, by_name.predict(x, verbose=0)), by_name.loss is huber_fn)
print(np.allclose(before, registered.predict(x, verbose=0)), registered.loss is huber_fn)
print("same config:", all(a.get_config() == b.get_config() for a, b in zip(by_name.layers, model.layers)))
# --8<-- [end:function_save]

# --8<-- [start:factory]
def make_huber(threshold=1.0):
    def thresholded_huber(y_true, y_pred):  # (1)!
        error = y_true - y_pred
        is_small = keras.ops.abs(error) <= threshold
        squared = 0.5 * keras.ops.square(error)
        linear = threshold * keras.ops.abs(error) - 0.5 * threshold**2
        return keras.ops.mean(keras.ops.where(is_small, squared, linear), axis=-1)

    return thresholded_huber


error_of_3 = (np.zeros((1, 1), dtype="float32"), np.full((1, 1), 3.0, dtype="float32"))
for threshold in (0.5, 1.0, 2.0):
    print(f"threshold {threshold}: loss for an error of 3 =", float(make_huber(threshold)(*error_of_3)[0]))
# --8<-- [end:factory]

# --8<-- [start:factory_save]
model.compile(optimizer="sgd", loss=make_huber(0.5))
model.save("closure.keras")
# --8<-- [end:factory_save]

try:
    # --8<-- [start:factory_load_plain]
    keras.models.load_model("closure.keras")
    # --8<-- [end:factory_load_plain]
except TypeError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:factory_load_custom]
reloaded = keras.models.load_model(
    "closure.keras", custom_objects={"thresholded_huber": make_huber(2.0)}  # (1)!
)
print("saved model:   ", float(model.loss(*error_of_3)[0]))
print("reloaded model:", float(reloaded.loss(*error_of_3)[0]))
print("evaluate:", round(model.evaluate(x, y, verbose=0), 4), "->", round(reloaded.evaluate(x, y, verbose=0), 4))
print("same config:", all(a.get_config() == b.get_config() for a, b in zip(reloaded.layers, model.layers)))
# --8<-- [end:factory_load_custom]

# --8<-- [start:factory_named_huber]
def make_named_huber(threshold):
    thresholded = make_huber(threshold)

    def huber(y_true, y_pred):  # (1)!
        return thresholded(y_true, y_pred)

    return huber


model.compile(optimizer="sgd", loss=make_named_huber(0.5))
model.save("named_huber.keras")
reloaded = keras.models.load_model("named_huber.keras")  # (2)!
print(reloaded.loss.__module__, reloaded.loss.__name__)
print("saved model:   ", float(model.loss(*error_of_3)[0]))
print("reloaded model:", float(reloaded.loss(*error_of_3)[0]))
print("same config:", all(a.get_config() == b.get_config() for a, b in zip(reloaded.layers, model.layers)))
# --8<-- [end:factory_named_huber]

# --8<-- [start:subclass]
class HuberLoss(keras.losses.Loss):
    def __init__(self, threshold, name="huber_loss", reduction="sum_over_batch_size"):
        super().__init__(name=name, reduction=reduction)  # (1)!
        self.threshold = threshold

    def call(self, y_true, y_pred):  # (2)!
        error = y_true - y_pred
        is_small = keras.ops.abs(error) <= self.threshold
        squared = 0.5 * keras.ops.square(error)
        linear = self.threshold * keras.ops.abs(error) - 0.5 * self.threshold**2
        return keras.ops.mean(keras.ops.where(is_small, squared, linear), axis=-1)

    def get_config(self):
        return {**super().get_config(), "threshold": self.threshold}  # (3)!


print(HuberLoss(threshold=2.0).get_config())
# --8<-- [end:subclass]

# --8<-- [start:reduction]
weights = np.array([1.0, 1.0, 0.0, 0.0], dtype="float32")
for reduction in ["sum_over_batch_size", "sum", None, "mean_with_sample_weight"]:
    loss = HuberLoss(threshold=2.0, reduction=reduction)
    plain = keras.ops.convert_to_numpy(loss(y_true, y_pred))
    weighted = keras.ops.convert_to_numpy(loss(y_true, y_pred, sample_weight=weights))
    print(f"{reduction!s:24}", np.round(plain, 4), np.round(weighted, 4))
# --8<-- [end:reduction]

# --8<-- [start:reduction_in_fit]
for reduction in ["sum", None]:
    model.compile(optimizer="sgd", loss=HuberLoss(threshold=1.0, reduction=reduction))
    by_16 = model.evaluate(x, y, batch_size=16, verbose=0)
    by_4 = model.evaluate(x, y, batch_size=4, verbose=0)
    print(f"{reduction!s:5} batch_size=16: {by_16:.4f}   batch_size=4: {by_4:.4f}")
# --8<-- [end:reduction_in_fit]

# --8<-- [start:reduction_one_step]
x_16, y_16 = x[::6], y[::6]
for reduction in ["sum_over_batch_size", "sum"]:
    step_model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1, kernel_initializer="zeros")])
    kernel_before = step_model.get_weights()[0]
    step_model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss=HuberLoss(threshold=1.0, reduction=reduction))
    history = step_model.fit(x_16, y_16, batch_size=16, epochs=1, verbose=0)
    step = float(np.abs(step_model.get_weights()[0] - kernel_before).sum())
    print(f"{reduction!s:20} reported loss: {history.history['loss'][0]:7.4f}   kernel step: {step:.4f}")
# --8<-- [end:reduction_one_step]

# --8<-- [start:subclass_custom_objects]
model.compile(optimizer="sgd", loss=HuberLoss(threshold=0.5))
model.save("huber_loss.keras")

reloaded = keras.models.load_model("huber_loss.keras", custom_objects={"HuberLoss": HuberLoss})
print(type(reloaded.loss).__name__, reloaded.loss.get_config())
print(np.allclose(model.predict(x, verbose=0), reloaded.predict(x, verbose=0)))
print(round(model.evaluate(x, y, verbose=0), 4), round(reloaded.evaluate(x, y, verbose=0), 4))
print("same config:", reloaded.loss.get_config() == model.loss.get_config())
# --8<-- [end:subclass_custom_objects]

# --8<-- [start:subclass_registered]
keras.saving.register_keras_serializable(package="keras_hooks")(HuberLoss)  # (1)!
model.compile(optimizer="sgd", loss=HuberLoss(threshold=0.5))
model.save("huber_loss_registered.keras")

reloaded = keras.models.load_model("huber_loss_registered.keras")  # (2)!
print(keras.saving.get_registered_name(HuberLoss), reloaded.loss.threshold)
print(np.allclose(model.predict(x, verbose=0), reloaded.predict(x, verbose=0)))
print("same config:", reloaded.loss.get_config() == model.loss.get_config())
# --8<-- [end:subclass_registered]

# --8<-- [start:naive_bce]
def naive_bce(y_true, logits):
    y_true = keras.ops.convert_to_tensor(y_true)
    p = keras.ops.sigmoid(logits)
    return -(y_true * keras.ops.log(p) + (1.0 - y_true) * keras.ops.log(1.0 - p))


labels = np.array([[1.0], [0.0], [0.0], [1.0]], dtype="float32")
logits = np.array([[0.5], [30.0], [100.0], [-200.0]], dtype="float32")
print("sigmoid:", np.round(keras.ops.convert_to_numpy(keras.ops.sigmoid(logits))[:, 0], 4))  # (1)!
print("naive:  ", np.round(keras.ops.convert_to_numpy(naive_bce(labels, logits))[:, 0], 4))
# --8<-- [end:naive_bce]

# --8<-- [start:stable_bce]
def stable_bce(y_true, logits):
    y_true = keras.ops.convert_to_tensor(y_true)
    return keras.ops.softplus(logits) - y_true * logits  # (1)!


builtin = keras.losses.binary_crossentropy(labels, logits, from_logits=True)  # (2)!
print("stable: ", np.round(keras.ops.convert_to_numpy(stable_bce(labels, logits))[:, 0], 4))
print("keras:  ", np.round(keras.ops.convert_to_numpy(builtin), 4))
# --8<-- [end:stable_bce]

# --8<-- [start:stable_gradients]
def gradient(loss, labels, logits):  # (1)!
    weights = keras.layers.Dense(len(logits), use_bias=False)
    model = keras.Sequential([keras.Input(shape=(1,)), weights])
    weights.set_weights([logits.T])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0),
                  loss=lambda y_true, y_pred: keras.ops.sum(loss(y_true, y_pred)))
    model.train_on_batch(np.ones((1, 1)), labels.T)
    return logits[:, 0] - keras.ops.convert_to_numpy(weights.kernel)[0]


print("naive gradient: ", np.round(gradient(naive_bce, labels, logits), 4))
print("stable gradient:", np.round(gradient(stable_bce, labels, logits), 4))
# --8<-- [end:stable_gradients]

try:
    # --8<-- [start:tf_function_loss]
    @tf.function
    def graph_huber(y_true, y_pred):
        return huber_fn(y_true, y_pred)

    model.compile(optimizer="sgd", loss=graph_huber)
    model.save("graph_huber.keras")  # (1)!
    keras.models.load_model("graph_huber.keras", custom_objects={"graph_huber": graph_huber})
    # --8<-- [end:tf_function_loss]
except TypeError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:tf_function_compile_false]
architecture_only = keras.models.load_model("graph_huber.keras", compile=False)
print(architecture_only.compiled, np.allclose(model.predict(x, verbose=0), architecture_only.predict(x, verbose=0)))
print("same config:", all(a.get_config() == b.get_config() for a, b in zip(architecture_only.layers, model.layers)))
# --8<-- [end:tf_function_compile_false]

# --8<-- [start:tf_function_fix]
def eager_huber(y_true, y_pred):  # (1)!
    return huber_fn(y_true, y_pred)


model.compile(optimizer="sgd", loss=eager_huber)
model.save("eager_huber.keras")
reloaded = keras.models.load_model("eager_huber.keras", custom_objects={"eager_huber": eager_huber})
print(reloaded.loss is eager_huber, np.allclose(model.predict(x, verbose=0), reloaded.predict(x, verbose=0)))
print("same config:", all(a.get_config() == b.get_config() for a, b in zip(reloaded.layers, model.layers)))
# --8<-- [end:tf_function_fix]

try:
    # --8<-- [start:keras_losses_mse]
    keras.losses.mse
    # --8<-- [end:keras_losses_mse]
except AttributeError as error:
    print(f"{type(error).__name__}: {error}")

try:
    # --8<-- [start:tf_keras_losses_long]
    tf.keras.losses.mean_squared_error
    # --8<-- [end:tf_keras_losses_long]
except AttributeError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:loss_names_fix]
print(tf.keras.losses.mse is keras.losses.mean_squared_error)  # (1)!
print(keras.losses.get("mse") is keras.losses.mean_squared_error)  # (2)!
model.compile(optimizer="sgd", loss="mse")
print(round(model.evaluate(x, y, verbose=0), 4))
# --8<-- [end:loss_names_fix]
