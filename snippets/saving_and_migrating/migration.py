"""Keras 2 / tf.keras code that breaks on Keras 3: each old idiom, its exact error, and the fix.

Run it as a script: python snippets/saving_and_migrating/migration.py
"""

# --8<-- [start:imports]
import json

import numpy as np
import tensorflow as tf
import keras
# --8<-- [end:imports]

# --8<-- [start:data]
keras.utils.set_random_seed(0)
x = np.random.rand(8, 3).astype("float32")
y = x.sum(axis=1, keepdims=True)

model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse")
model.fit(x, y, epochs=2, verbose=0)
# --8<-- [end:data]

try:
    # --8<-- [start:old_layer_add_weight]
    class Linear(keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight("w", shape=(input_shape[-1], 1))

        def call(self, inputs):
            return inputs @ self.w

    Linear()(x)
    # --8<-- [end:old_layer_add_weight]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")


# --8<-- [start:new_layer_add_weight]
class Linear(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], 1), name="w")

    def call(self, inputs):
        return inputs @ self.w


print(tuple(Linear()(x).shape))
# --8<-- [end:new_layer_add_weight]

try:
    # --8<-- [start:old_metric_add_weight]
    class Total(keras.metrics.Metric):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.total = self.add_weight("total", initializer="zeros")

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.total.assign_add(keras.ops.sum(y_pred))

        def result(self):
            return self.total

    Total()
    # --8<-- [end:old_metric_add_weight]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")


# --8<-- [start:new_metric_add_weight]
class Total(keras.metrics.Metric):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")

    def update_state(self, y_true, y_pred, sample_weight=None):
        self.total.assign_add(keras.ops.sum(y_pred))

    def result(self):
        return keras.ops.convert_to_tensor(self.total)


total = Total()
total.update_state(None, np.array([1.0, 2.5]))
print(float(total.result()))
# --8<-- [end:new_metric_add_weight]

try:
    # --8<-- [start:old_reset_states]
    total.reset_states()
    # --8<-- [end:old_reset_states]
except AttributeError as error:
    print(f"{type(error).__name__}: {error}")


# --8<-- [start:old_reset_states_override]
class CountingTotal(Total):
    def reset_states(self):  # Keras 2 name: Keras 3 never calls it
        print("reset_states called")
        super().reset_state()


counting = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
counting.compile(optimizer="sgd", loss="mse", metrics=[CountingTotal(name="total")])
counting.fit(x, y, epochs=3, verbose=0)
print("fit finished")
# --8<-- [end:old_reset_states_override]

# --8<-- [start:new_reset_state]
total.reset_state()
print(float(total.result()))
# --8<-- [end:new_reset_state]

try:
    # --8<-- [start:old_save_dir]
    model.save("my_model")
    # --8<-- [end:old_save_dir]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

try:
    # --8<-- [start:old_save_format]
    model.save("my_model", save_format="tf")
    # --8<-- [end:old_save_format]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:new_save]
def as_saved(config):  # the file holds JSON, where a tuple becomes a list
    return json.loads(json.dumps(config))


model.save("my_model.keras")
restored = keras.models.load_model("my_model.keras")
print(np.allclose(model.predict(x, verbose=0), restored.predict(x, verbose=0)), int(restored.optimizer.iterations))
print("same config:", as_saved(restored.get_config()) == as_saved(model.get_config()))
# --8<-- [end:new_save]

# --8<-- [start:export]
model.export("my_saved_model", verbose=False)
# --8<-- [end:export]

try:
    # --8<-- [start:old_load_dir]
    keras.models.load_model("my_saved_model")
    # --8<-- [end:old_load_dir]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:new_load_dir]
serving = keras.layers.TFSMLayer("my_saved_model", call_endpoint="serve")
print(np.allclose(model.predict(x, verbose=0), keras.ops.convert_to_numpy(serving(x))))
# --8<-- [end:new_load_dir]

# --8<-- [start:tfsm_fine_tune]
print("trainable:", serving.trainable, len(serving.trainable_weights))
fine_tuned = keras.Sequential([keras.Input(shape=(3,)), serving])
fine_tuned.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
before = keras.ops.convert_to_numpy(fine_tuned(x))
fine_tuned.fit(x, y, epochs=3, verbose=0)
after = keras.ops.convert_to_numpy(fine_tuned(x))
print("predictions changed:", not np.allclose(before, after))
# --8<-- [end:tfsm_fine_tune]

try:
    # --8<-- [start:old_save_weights]
    model.save_weights("my_weights")
    # --8<-- [end:old_save_weights]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:new_save_weights]
model.save_weights("my.weights.h5")
model.load_weights("my.weights.h5")
print("weights saved and loaded")
# --8<-- [end:new_save_weights]


try:
    # --8<-- [start:old_tf_function_loss]
    @tf.function
    def squared_error(y_true, y_pred):
        return tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)

    with_tf_loss = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
    with_tf_loss.compile(optimizer="sgd", loss=squared_error)
    with_tf_loss.save("tf_loss.keras")  # (1)!
    keras.models.load_model("tf_loss.keras", custom_objects={"squared_error": squared_error})
    # --8<-- [end:old_tf_function_loss]
except TypeError as error:
    print(f"{type(error).__name__}: {error}")


# --8<-- [start:new_tf_function_loss]
@keras.saving.register_keras_serializable(package="keras_hooks")
def squared_error(y_true, y_pred):  # (1)!
    return keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)


with_loss = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
with_loss.compile(optimizer="sgd", loss=squared_error)
with_loss.save("loss.keras")
restored = keras.models.load_model("loss.keras")
print(restored.loss is squared_error)
print(np.allclose(with_loss.predict(x, verbose=0), restored.predict(x, verbose=0)))
print("same config:", as_saved(restored.get_config()) == as_saved(with_loss.get_config()))
# --8<-- [end:new_tf_function_loss]

# --8<-- [start:old_set_seed]
def first_kernel():
    net = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
    return keras.ops.convert_to_numpy(net.layers[0].kernel)


tf.random.set_seed(42)
a = first_kernel()
tf.random.set_seed(42)
b = first_kernel()
print("same initial weights:", np.allclose(a, b))
# --8<-- [end:old_set_seed]

# --8<-- [start:new_set_seed]
keras.utils.set_random_seed(42)  # (1)!
a = first_kernel()
keras.utils.set_random_seed(42)
b = first_kernel()
print("same initial weights:", np.allclose(a, b))
# --8<-- [end:new_set_seed]

try:
    # --8<-- [start:old_tf_on_keras_tensor]
    inputs = keras.Input(shape=(3,))
    outputs = tf.exp(inputs)
    # --8<-- [end:old_tf_on_keras_tensor]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:new_tf_on_keras_tensor]
inputs = keras.Input(shape=(3,))
outputs = keras.ops.exp(inputs)
functional = keras.Model(inputs, outputs)
print(np.allclose(functional.predict(x, verbose=0), np.exp(x)))
# --8<-- [end:new_tf_on_keras_tensor]

# --8<-- [start:old_lambda_tf]
exp_model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Lambda(lambda t: tf.exp(t))])
exp_model.save("exp_lambda.keras")
# --8<-- [end:old_lambda_tf]

try:
    # --8<-- [start:old_lambda_tf_load]
    keras.models.load_model("exp_lambda.keras")
    # --8<-- [end:old_lambda_tf_load]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

try:
    # --8<-- [start:old_lambda_tf_unsafe]
    unsafe = keras.models.load_model("exp_lambda.keras", safe_mode=False)
    unsafe(x)
    # --8<-- [end:old_lambda_tf_unsafe]
except NameError as error:
    print(f"{type(error).__name__}: {error}")


# --8<-- [start:new_lambda_tf]
@keras.saving.register_keras_serializable(package="keras_hooks")
def exponential(t):
    return keras.ops.exp(t)


exp_model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Lambda(exponential)])
exp_model.save("exp_named.keras")
restored = keras.models.load_model("exp_named.keras")
print(np.allclose(restored.predict(x, verbose=0), np.exp(x)), restored.layers[0].function is exponential)
print("same config:", as_saved(restored.get_config()) == as_saved(exp_model.get_config()))
# --8<-- [end:new_lambda_tf]

try:
    # --8<-- [start:old_add_metric]
    class ActivationMean(keras.layers.Layer):
        def call(self, inputs):
            self.add_metric(keras.ops.mean(inputs), name="activation_mean")
            return inputs

    ActivationMean()(x)
    # --8<-- [end:old_add_metric]
except NotImplementedError as error:
    print(f"{type(error).__name__}: {error}")


# --8<-- [start:new_add_metric]
class ActivationMean(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.tracker = keras.metrics.Mean(name="activation_mean")  # (1)!

    def call(self, inputs):
        self.tracker.update_state(keras.ops.mean(inputs))
        return inputs


tracked = keras.Sequential([keras.Input(shape=(3,)), ActivationMean(), keras.layers.Dense(1)])
tracked.compile(optimizer="sgd", loss="mse")
history = tracked.fit(x, y, epochs=1, verbose=0)
print(sorted(history.history))
# --8<-- [end:new_add_metric]

try:
    # --8<-- [start:old_dynamic]
    class PythonScale(keras.layers.Layer):
        def call(self, inputs):
            largest = float(keras.ops.max(inputs))  # needs a concrete value
            return inputs / largest

    PythonScale(dynamic=True)
    # --8<-- [end:old_dynamic]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")


# --8<-- [start:new_dynamic]
class PythonScale(keras.layers.Layer):
    def call(self, inputs):
        largest = float(keras.ops.max(inputs))
        print("largest:", round(largest, 4))
        return inputs / largest

    def compute_output_shape(self, input_shape):  # (1)!
        return input_shape


eager = keras.Sequential([keras.Input(shape=(3,)), PythonScale(), keras.layers.Dense(1)])
eager.compile(optimizer="sgd", loss="mse", run_eagerly=True)  # (2)!
eager.fit(x, y, batch_size=8, epochs=1, verbose=0)
# --8<-- [end:new_dynamic]

try:
    # --8<-- [start:old_subclassed_model]
    class TwoLayers(keras.Model):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.hidden = keras.layers.Dense(units)
            self.out = keras.layers.Dense(1)

        def call(self, inputs):
            return self.out(self.hidden(inputs))

    two_layers = TwoLayers(4)
    two_layers(x)
    two_layers.save("two_layers.keras")
    # --8<-- [end:old_subclassed_model]
except NotImplementedError as error:
    print(f"{type(error).__name__}: {error}")


# --8<-- [start:old_subclassed_model_default]
class TwoLayersWithDefault(keras.Model):
    def __init__(self, units=16, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = keras.layers.Dense(units)
        self.out = keras.layers.Dense(1)

    def call(self, inputs):
        return self.out(self.hidden(inputs))


print(TwoLayersWithDefault(units=4).get_config()["units"])
# --8<-- [end:old_subclassed_model_default]


# --8<-- [start:new_subclassed_model]
@keras.saving.register_keras_serializable(package="keras_hooks")
class TwoLayers(keras.Model):
    def __init__(self, units=16, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = keras.layers.Dense(units)
        self.out = keras.layers.Dense(1)

    def call(self, inputs):
        return self.out(self.hidden(inputs))

    def get_config(self):
        return {**super().get_config(), "units": self.units}


two_layers = TwoLayers(units=4)
two_layers(x)
print(two_layers.get_config()["units"])
two_layers.save("two_layers.keras")
restored = keras.models.load_model("two_layers.keras")
print(np.allclose(two_layers.predict(x, verbose=0), restored.predict(x, verbose=0)), restored.units)
print("same config:", restored.get_config() == two_layers.get_config())
# --8<-- [end:new_subclassed_model]

try:
    # --8<-- [start:old_tf_keras_saving]
    tf.keras.saving.register_keras_serializable()
    # --8<-- [end:old_tf_keras_saving]
except AttributeError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:new_tf_keras_saving]
@keras.saving.register_keras_serializable(package="keras_hooks")
def doubled(t):
    return 2.0 * t


print(keras.saving.get_registered_name(doubled))
print(tf.keras.layers.Dense is keras.layers.Dense)  # (1)!
# --8<-- [end:new_tf_keras_saving]

try:
    # --8<-- [start:old_loss_names]
    keras.losses.mse(y, y)
    # --8<-- [end:old_loss_names]
except AttributeError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:new_loss_names]
print(tf.keras.losses.mse is keras.losses.mean_squared_error)  # (1)!
print(np.round(keras.ops.convert_to_numpy(keras.losses.mean_squared_error(y[:2], 0.5 * y[:2])), 4))
# --8<-- [end:new_loss_names]

try:
    # --8<-- [start:old_backend]
    K = keras.backend
    K.mean(K.square(x))
    # --8<-- [end:old_backend]
except AttributeError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:new_backend]
print(round(float(keras.ops.mean(keras.ops.square(x))), 4))
# --8<-- [end:new_backend]

try:
    # --8<-- [start:old_lr]
    keras.optimizers.Adam(lr=0.01)
    # --8<-- [end:old_lr]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:new_lr]
print(round(float(keras.optimizers.Adam(learning_rate=0.01).learning_rate), 4))
# --8<-- [end:new_lr]

try:
    # --8<-- [start:old_optimizer]
    class MySGD(keras.optimizers.Optimizer):
        def __init__(self, learning_rate=0.01, name="MySGD", **kwargs):
            super().__init__(name, **kwargs)
            self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))

        def _resource_apply_dense(self, grad, var, apply_state=None):
            var.assign_sub(self._get_hyper("learning_rate") * grad)

    MySGD()
    # --8<-- [end:old_optimizer]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")


# --8<-- [start:new_optimizer]
@keras.saving.register_keras_serializable(package="keras_hooks")
class MySGD(keras.optimizers.Optimizer):
    def __init__(self, learning_rate=0.01, name="MySGD", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)  # (1)!

    def update_step(self, gradient, variable, learning_rate):  # (2)!
        learning_rate = keras.ops.cast(learning_rate, variable.dtype)
        variable.assign_sub(learning_rate * gradient)


gradient = keras.ops.convert_to_tensor([0.5, -1.0])
mine = keras.Variable([1.0, 2.0])
builtin = keras.Variable([1.0, 2.0])
MySGD(0.1).apply([gradient], [mine])
keras.optimizers.SGD(0.1).apply([gradient], [builtin])
print(np.round(keras.ops.convert_to_numpy(mine), 4), np.allclose(keras.ops.convert_to_numpy(mine), keras.ops.convert_to_numpy(builtin)))
# --8<-- [end:new_optimizer]

# --8<-- [start:new_optimizer_save]
keras.utils.set_random_seed(1)
with_my_sgd = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
with_my_sgd.compile(optimizer=MySGD(0.1), loss="mse")
with_my_sgd.fit(x, y, epochs=1, verbose=0)
with_my_sgd.save("my_sgd.keras")
restored = keras.models.load_model("my_sgd.keras")
print(type(restored.optimizer).__name__, round(float(restored.optimizer.learning_rate), 4))
print(np.allclose(with_my_sgd.predict(x, verbose=0), restored.predict(x, verbose=0)))
print("same config:", restored.optimizer.get_config() == with_my_sgd.optimizer.get_config())
# --8<-- [end:new_optimizer_save]

try:
    # --8<-- [start:old_fit_generator]
    def batches():
        while True:
            yield x, y

    model.fit_generator(batches(), steps_per_epoch=2, epochs=1, verbose=0)
    # --8<-- [end:old_fit_generator]
except AttributeError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:new_fit_generator]
history = model.fit(batches(), steps_per_epoch=2, epochs=1, shuffle=False, verbose=0)  # (1)!
print(sorted(history.history), "epochs:", len(history.history["loss"]))
# --8<-- [end:new_fit_generator]

try:
    # --8<-- [start:old_list_input]
    keras.utils.set_random_seed(0)
    dense = keras.layers.Dense(2)
    dense([[1.0, 2.0]])
    # --8<-- [end:old_list_input]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

try:
    # --8<-- [start:old_list_predict]
    model.predict([[1.0, 2.0, 3.0]], verbose=0)
    # --8<-- [end:old_list_predict]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:new_list_input]
rows = np.array([[1.0, 2.0]], dtype="float32")  # (1)!
print(tuple(dense(rows).shape))
print(np.allclose(keras.ops.convert_to_numpy(dense(rows)), keras.ops.convert_to_numpy(dense(keras.ops.convert_to_tensor([[1.0, 2.0]])))))
print(model.predict(np.array([[1.0, 2.0, 3.0]]), verbose=0).shape)
# --8<-- [end:new_list_input]
