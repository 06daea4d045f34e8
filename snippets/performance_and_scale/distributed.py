"""Distributed training with custom hooks on tf.distribute: two logical CPU devices.

Run it as a script: python snippets/performance_and_scale/distributed.py
"""

# --8<-- [start:devices]
import contextlib

import numpy as np
import tensorflow as tf
import keras

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(  # (1)!
    cpu, [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()]
)
print([device.name for device in tf.config.list_logical_devices("CPU")])
# --8<-- [end:devices]

# --8<-- [start:strategy]
strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])  # (1)!
print("replicas:", strategy.num_replicas_in_sync)
# --8<-- [end:strategy]

# --8<-- [start:data]
GLOBAL_BATCH = 16  # (1)!
rng = np.random.default_rng(0)
x = rng.normal(size=(64, 3)).astype("float32")
y = x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32") + 0.3
dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(GLOBAL_BATCH)


def build():
    keras.utils.set_random_seed(7)
    return keras.Sequential([
        keras.Input(shape=(3,)),
        keras.layers.Dense(1, kernel_regularizer=keras.regularizers.L2(0.01)),  # (2)!
    ])


def scope_of(strategy):
    return strategy.scope() if strategy else contextlib.nullcontext()  # (3)!
# --8<-- [end:data]

# --8<-- [start:custom_objects]
def half_squared_error(y_true, y_pred):  # (1)!
    return 0.5 * keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)


class MeanAbsError(keras.metrics.Metric):
    def __init__(self, name="mae", **kwargs):
        super().__init__(name=name, **kwargs)
        self.total = self.add_variable(shape=(), initializer="zeros", name="total",
                                       aggregation="sum")  # (2)!
        self.count = self.add_variable(shape=(), initializer="zeros", name="count",
                                       aggregation="sum")

    def update_state(self, y_true, y_pred, sample_weight=None):
        errors = keras.ops.abs(y_true - y_pred)
        self.total.assign_add(keras.ops.sum(errors))
        self.count.assign_add(keras.ops.cast(keras.ops.size(errors), "float32"))

    def result(self):
        return self.total / self.count
# --8<-- [end:custom_objects]

# --8<-- [start:fit]
def train_with_fit(strategy=None):
    with scope_of(strategy):  # (1)!
        model = build()
        mae = MeanAbsError()
        model.compile(optimizer=keras.optimizers.SGD(0.05), loss=half_squared_error,
                      metrics=[mae])
    history = model.fit(dataset, epochs=2, shuffle=False, verbose=0)  # (2)!
    logs = {name: [round(v, 4) for v in values] for name, values in history.history.items()}
    return model, mae, logs


mirrored_model, mirrored_mae_metric, mirrored = train_with_fit(strategy)
print("two replicas:", mirrored)
# --8<-- [end:fit]

# --8<-- [start:fit_single]
single_model, _, single = train_with_fit()
print("one device:  ", single)
print("same weights:", all(np.allclose(a, b, rtol=0, atol=1e-6) for a, b in
                           zip(mirrored_model.get_weights(), single_model.get_weights())))
# --8<-- [end:fit_single]

# --8<-- [start:variables]
total = mirrored_mae_metric.total.value
print(type(total).__name__)  # (1)!
print([round(float(v), 4) for v in total.values])  # (2)!
print(round(float(total.read_value()), 4), int(mirrored_mae_metric.count.numpy()))  # (3)!
# --8<-- [end:variables]


# --8<-- [start:aggregation_mean]
class ExamplesSeen(keras.metrics.Metric):
    def __init__(self, aggregation, **kwargs):
        super().__init__(**kwargs)
        self.seen = self.add_variable(shape=(), initializer="zeros", aggregation=aggregation)

    def update_state(self, y_true, y_pred, sample_weight=None):
        self.seen.assign_add(keras.ops.cast(keras.ops.shape(y_true)[0], "float32"))

    def result(self):
        return self.seen


with strategy.scope():
    counting = build()
    counting.compile(optimizer="sgd", loss="mse", metrics=[
        ExamplesSeen("sum", name="seen_sum"), ExamplesSeen("mean", name="seen_mean")])  # (1)!
logs = counting.evaluate(dataset, verbose=0, return_dict=True)
print({name: logs[name] for name in ("seen_sum", "seen_mean")})
# --8<-- [end:aggregation_mean]


# --8<-- [start:train_step]
class ReportingModel(keras.Sequential):
    def train_step(self, data):
        x_batch, y_batch = data  # (1)!
        with tf.GradientTape() as tape:
            y_pred = self(x_batch, training=True)
            loss = self.compute_loss(x=x_batch, y=y_batch, y_pred=y_pred, training=True)  # (2)!
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(gradients, self.trainable_variables)  # (3)!
        replicas = tf.distribute.get_replica_context().num_replicas_in_sync
        self.scaled.update_state(loss)  # (4)!
        self.unscaled.update_state(loss * replicas)
        return {"scaled": self.scaled.result(), "loss": self.unscaled.result()}

    @property
    def metrics(self):
        return [self.scaled, self.unscaled]


def train_with_train_step(strategy=None):
    with scope_of(strategy):
        model = ReportingModel(build().layers)
        model.scaled = keras.metrics.Mean(name="scaled")
        model.unscaled = keras.metrics.Mean(name="loss")
        model.compile(optimizer=keras.optimizers.SGD(0.05), loss=half_squared_error)
    history = model.fit(dataset, epochs=2, shuffle=False, verbose=0)
    return {name: [round(v, 4) for v in values] for name, values in history.history.items()}


print("two replicas:", train_with_train_step(strategy))
# --8<-- [end:train_step]

# --8<-- [start:train_step_one_device]
print("one device:  ", train_with_train_step())
# --8<-- [end:train_step_one_device]


# --8<-- [start:loop]
def train_with_loop(strategy, divide_twice=False):
    with strategy.scope():
        model = build()
        optimizer = keras.optimizers.SGD(0.05)
        mae = MeanAbsError()

    def replica_step(x_batch, y_batch):
        with tf.GradientTape() as tape:
            y_pred = model(x_batch, training=True)
            per_example = half_squared_error(y_batch, y_pred)  # (1)!
            loss = tf.nn.compute_average_loss(per_example, global_batch_size=GLOBAL_BATCH)  # (2)!
            loss += tf.nn.scale_regularization_loss(tf.add_n(model.losses))  # (3)!
            if divide_twice:
                loss /= strategy.num_replicas_in_sync
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply(gradients, model.trainable_variables)  # (4)!
        mae.update_state(y_batch, y_pred)
        return loss

    @tf.function
    def train_step(x_batch, y_batch):
        per_replica = strategy.run(replica_step, args=(x_batch, y_batch))
        return strategy.reduce("SUM", per_replica, axis=None)  # (5)!

    losses = []
    for epoch in range(2):
        mae.reset_state()
        steps = [float(train_step(xb, yb)) for xb, yb in strategy.experimental_distribute_dataset(dataset)]  # (6)!
        losses.append(round(float(np.mean(steps)), 4))
    return losses, round(float(mae.result()), 4), model


mirrored_losses, mirrored_mae, mirrored_loop = train_with_loop(strategy)
single_losses, single_mae, single_loop = train_with_loop(tf.distribute.get_strategy())  # (7)!
print("two replicas:", mirrored_losses, "mae", mirrored_mae)
print("one device:  ", single_losses, "mae", single_mae)
print("same weights:", all(np.allclose(a, b, rtol=0, atol=1e-6) for a, b in
                           zip(mirrored_loop.get_weights(), single_loop.get_weights())))
# --8<-- [end:loop]

# --8<-- [start:loop_vs_fit]
print("loop matches fit:", np.allclose(mirrored_losses, mirrored["loss"], atol=1e-4))
# --8<-- [end:loop_vs_fit]

# --8<-- [start:divide_twice]
twice_losses, _, twice_model = train_with_loop(strategy, divide_twice=True)
print("divided twice:", twice_losses)
print("same weights as one device:", all(np.allclose(a, b, rtol=0, atol=1e-6) for a, b in
                                         zip(twice_model.get_weights(), single_loop.get_weights())))
# --8<-- [end:divide_twice]

# --8<-- [start:keras_loss_object]
mse = keras.losses.MeanSquaredError()  # (1)!


def replica_value(x_batch, y_batch):
    return mse(y_batch, keras.ops.zeros_like(y_batch)), keras.ops.mean(keras.ops.square(y_batch))


x_batch, y_batch = next(iter(strategy.experimental_distribute_dataset(dataset)))
from_loss, plain_mean = strategy.run(replica_value, args=(x_batch, y_batch))
print([round(float(v), 4) for v in from_loss.values])
print([round(float(v), 4) for v in plain_mean.values])
# --8<-- [end:keras_loss_object]
