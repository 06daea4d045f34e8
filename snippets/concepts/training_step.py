"""One training step and where each hook runs: every custom hook of a tiny model prints
its name when Keras calls it, so one call to `fit` prints the order of the step.

Run it as a script: python snippets/concepts/training_step.py
"""

# --8<-- [start:imports]
import numpy as np
import keras
# --8<-- [end:imports]


# --8<-- [start:weight_hooks]
@keras.saving.register_keras_serializable(package="keras_hooks")
class TracedInitializer(keras.initializers.Initializer):
    def __call__(self, shape, dtype=None):
        print("Initializer.__call__")
        return keras.ops.full(shape, 0.5, dtype=dtype)


@keras.saving.register_keras_serializable(package="keras_hooks")
def traced_activation(x):
    print("activation")
    return keras.activations.relu(x)


@keras.saving.register_keras_serializable(package="keras_hooks")
class TracedRegularizer(keras.regularizers.Regularizer):
    def __init__(self, factor):
        self.factor = factor

    def __call__(self, weight):
        print("Regularizer.__call__")
        return self.factor * keras.ops.sum(keras.ops.abs(weight))

    def get_config(self):  # (1)!
        return {"factor": self.factor}


@keras.saving.register_keras_serializable(package="keras_hooks")
class TracedConstraint(keras.constraints.Constraint):
    def __call__(self, weight):
        print("Constraint.__call__")
        return keras.ops.maximum(weight, 0.0)
# --8<-- [end:weight_hooks]


# --8<-- [start:gradient_probe]
@keras.ops.custom_gradient
def traced_identity(x):
    def grad(*args, upstream=None):  # (1)!
        if upstream is None:
            (upstream,) = args
        print("gradient")
        return upstream

    return x, grad
# --8<-- [end:gradient_probe]


# --8<-- [start:layer]
@keras.saving.register_keras_serializable(package="keras_hooks")
class TracedLayer(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        print("Layer.build")
        self.kernel = self.add_weight(
            shape=(input_shape[-1], self.units),
            initializer=TracedInitializer(),
            regularizer=TracedRegularizer(0.01),
            constraint=TracedConstraint(),
            name="kernel",
        )

    def call(self, inputs):
        print("Layer.call")
        outputs = traced_identity(keras.ops.matmul(inputs, self.kernel))
        print("add_loss")
        self.add_loss(0.001 * keras.ops.sum(outputs))  # (1)!
        return traced_activation(outputs)

    def get_config(self):
        return {**super().get_config(), "units": self.units}
# --8<-- [end:layer]


# --8<-- [start:loss_metric]
@keras.saving.register_keras_serializable(package="keras_hooks")
class TracedLoss(keras.losses.Loss):
    def call(self, y_true, y_pred):
        print("Loss.call")
        return keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)


@keras.saving.register_keras_serializable(package="keras_hooks")
class TracedMetric(keras.metrics.Metric):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")

    def update_state(self, y_true, y_pred, sample_weight=None):
        print("Metric.update_state")
        self.total.assign_add(keras.ops.sum(keras.ops.abs(y_true - y_pred)))

    def result(self):
        print("Metric.result")
        return keras.ops.convert_to_tensor(self.total)

    def reset_state(self):
        print("Metric.reset_state")
        self.total.assign(0.0)
# --8<-- [end:loss_metric]


# --8<-- [start:optimizer_callback]
@keras.saving.register_keras_serializable(package="keras_hooks")
class TracedSGD(keras.optimizers.SGD):
    def apply(self, grads, trainable_variables=None):
        print("Optimizer.apply")
        return super().apply(grads, trainable_variables)

    def update_step(self, gradient, variable, learning_rate):
        print("Optimizer.update_step")
        return super().update_step(gradient, variable, learning_rate)


class TracedCallback(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        print("on_train_begin")

    def on_epoch_begin(self, epoch, logs=None):
        print("on_epoch_begin")

    def on_train_batch_begin(self, batch, logs=None):
        print("on_train_batch_begin")

    def on_train_batch_end(self, batch, logs=None):
        print("on_train_batch_end")

    def on_epoch_end(self, epoch, logs=None):
        print("on_epoch_end")

    def on_train_end(self, logs=None):
        print("on_train_end")
# --8<-- [end:optimizer_callback]

# --8<-- [start:build]
model = keras.Sequential([keras.Input(shape=(2,)), TracedLayer(1)])  # (1)!
# --8<-- [end:build]

# --8<-- [start:one_step]
x = np.array([[1.0, 2.0], [3.0, 4.0]], dtype="float32")
y = np.array([[1.0], [2.0]], dtype="float32")

model.compile(
    optimizer=TracedSGD(learning_rate=0.01),
    loss=TracedLoss(),
    metrics=[TracedMetric()],
    run_eagerly=True,  # (1)!
)
model.fit(x, y, batch_size=2, epochs=1, verbose=0, callbacks=[TracedCallback()])
# --8<-- [end:one_step]

# --8<-- [start:graph_mode]
graph_model = keras.Sequential([keras.Input(shape=(2,)), TracedLayer(1)])
graph_model.compile(optimizer=TracedSGD(learning_rate=0.01), loss=TracedLoss(),
                    metrics=[TracedMetric()])  # (1)!
print("--- fit: 2 batches, 2 epochs")
x4 = np.ones((4, 2), dtype="float32")
y4 = np.ones((4, 1), dtype="float32")
graph_model.fit(x4, y4, batch_size=2, epochs=2, verbose=0, callbacks=[TracedCallback()])
# --8<-- [end:graph_mode]

# --8<-- [start:save_load]
print("--- model.predict")
before = model.predict(x, verbose=0)
model.save("training_step.keras")
print("--- keras.models.load_model")
restored = keras.models.load_model("training_step.keras")  # (1)!
print("--- restored.predict")
after = restored.predict(x, verbose=0)
print("same predictions:", np.allclose(before, after))
print("units:", restored.layers[0].units)
print("same config:", all(a.get_config() == b.get_config() for a, b in zip(restored.layers, model.layers)))
# --8<-- [end:save_load]
