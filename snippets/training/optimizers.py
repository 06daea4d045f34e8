"""A custom optimizer with the Keras 3 API: SGD with momentum, written as a
keras.optimizers.Optimizer subclass, checked against the built-in SGD and saved with a model.

Run it as a script: python snippets/training/optimizers.py
"""

# --8<-- [start:imports]
import logging
import numpy as np
import keras

logging.getLogger("tensorflow").setLevel(logging.ERROR)  # (1)!
# --8<-- [end:imports]


# --8<-- [start:momentum_sgd]
@keras.saving.register_keras_serializable(package="keras_hooks")
class MomentumSGD(keras.optimizers.Optimizer):
    """SGD with momentum: v = momentum * v + g, then w = w - learning_rate * v."""

    def __init__(self, learning_rate, momentum, name="momentum_sgd", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)  # (1)!
        self.momentum = momentum  # (2)!

    def build(self, var_list):
        if self.built:  # (3)!
            return
        super().build(var_list)
        self.velocities = [
            self.add_variable_from_reference(variable, name="velocity")  # (4)!
            for variable in var_list
        ]

    def update_step(self, gradient, variable, learning_rate):  # (5)!
        learning_rate = keras.ops.cast(learning_rate, variable.dtype)
        gradient = keras.ops.cast(gradient, variable.dtype)
        momentum = keras.ops.cast(self.momentum, variable.dtype)
        velocity = self.velocities[self._get_variable_index(variable)]  # (6)!
        self.assign(velocity, momentum * velocity + gradient)
        self.assign_sub(variable, learning_rate * velocity)

    def get_config(self):
        config = super().get_config()  # (7)!
        config.update({"momentum": self.momentum})
        return config
# --8<-- [end:momentum_sgd]


# --8<-- [start:data]
rng = np.random.default_rng(0)
x = rng.normal(size=(64, 3)).astype("float32")
y = x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32") + 0.3


def train(optimizer, epochs=3):
    keras.utils.set_random_seed(7)  # same initial weights for every optimizer
    model = keras.Sequential(
        [
            keras.Input(shape=(3,)),
            keras.layers.Dense(4, activation="relu", name="hidden"),
            keras.layers.Dense(1, name="out"),
        ],
        name="net",
    )
    model.compile(optimizer=optimizer, loss="mse")
    model.fit(x, y, batch_size=16, epochs=epochs, shuffle=False, verbose=0)
    return model
# --8<-- [end:data]


# --8<-- [start:compare]
mine = train(MomentumSGD(learning_rate=0.05, momentum=0.9))
builtin = train(keras.optimizers.SGD(learning_rate=0.05, momentum=0.9))

differences = [np.max(np.abs(a - b)) for a, b in zip(mine.get_weights(), builtin.get_weights())]
print("steps:", int(mine.optimizer.iterations))
print("loss:", round(mine.evaluate(x, y, verbose=0), 4), round(builtin.evaluate(x, y, verbose=0), 4))
print("max abs difference:", round(float(max(differences)), 6))
print("allclose:", all(
    np.allclose(a, b, atol=1e-6) for a, b in zip(mine.get_weights(), builtin.get_weights())
))
# --8<-- [end:compare]


# --8<-- [start:variables]
for variable in mine.optimizer.variables:
    print(variable.path, tuple(variable.shape))
# --8<-- [end:variables]


# --8<-- [start:save_load]
mine.save("momentum.keras")
reloaded = keras.models.load_model("momentum.keras")  # (1)!

print(type(reloaded.optimizer).__name__)
config = reloaded.optimizer.get_config()
print({key: config[key] for key in ("name", "learning_rate", "momentum")})
print("steps:", int(reloaded.optimizer.iterations))
print("same config:", reloaded.optimizer.get_config() == mine.optimizer.get_config())
print("same predictions:", np.allclose(mine.predict(x, verbose=0), reloaded.predict(x, verbose=0)))
print("same velocities:", all(
    np.array_equal(a.numpy(), b.numpy())
    for a, b in zip(mine.optimizer.variables, reloaded.optimizer.variables)
))
# --8<-- [end:save_load]


# --8<-- [start:continue_training]
mine.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
reloaded.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)

print("steps:", int(mine.optimizer.iterations), int(reloaded.optimizer.iterations))
print("same weights after one more epoch:", all(
    np.allclose(a, b) for a, b in zip(mine.get_weights(), reloaded.get_weights())
))
# --8<-- [end:continue_training]


# --8<-- [start:unregistered]
class LocalMomentumSGD(MomentumSGD):  # (1)!
    pass


local = train(LocalMomentumSGD(learning_rate=0.05, momentum=0.8), epochs=1)
local.save("local.keras")
# --8<-- [end:unregistered]

try:
    # --8<-- [start:unregistered_load]
    keras.models.load_model("local.keras")
    # --8<-- [end:unregistered_load]
except TypeError as error:  # the page shows this error; the script keeps going
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:custom_objects]
restored = keras.models.load_model(
    "local.keras", custom_objects={"LocalMomentumSGD": LocalMomentumSGD}  # (1)!
)
print(type(restored.optimizer).__name__, restored.optimizer.momentum)
print("same config:", restored.optimizer.get_config() == local.optimizer.get_config())
print("same predictions:", np.allclose(local.predict(x, verbose=0), restored.predict(x, verbose=0)))
# --8<-- [end:custom_objects]

try:
    # --8<-- [start:keras2_optimizer]
    class Keras2Momentum(keras.optimizers.Optimizer):
        def __init__(self, learning_rate=0.01, momentum=0.9, name="Keras2Momentum", **kwargs):
            super().__init__(name, **kwargs)
            self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
            self._set_hyper("momentum", momentum)

        def _create_slots(self, var_list):
            for var in var_list:
                self.add_slot(var, "velocity")

        def _resource_apply_dense(self, grad, var, apply_state=None):
            lr = self._decayed_lr(var.dtype.base_dtype)
            velocity = self.get_slot(var, "velocity")
            momentum = self._get_hyper("momentum", var.dtype.base_dtype)
            velocity.assign(momentum * velocity + grad)
            var.assign_sub(lr * velocity)

    Keras2Momentum(learning_rate=0.05)
    # --8<-- [end:keras2_optimizer]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

try:
    # --8<-- [start:keras2_set_hyper]
    class HalfMigrated(keras.optimizers.Optimizer):
        def __init__(self, learning_rate=0.01, momentum=0.9, name="half_migrated", **kwargs):
            super().__init__(learning_rate=learning_rate, name=name, **kwargs)
            self._set_hyper("momentum", momentum)

    HalfMigrated(learning_rate=0.05)
    # --8<-- [end:keras2_set_hyper]
except AttributeError as error:
    print(f"{type(error).__name__}: {error}")

try:
    # --8<-- [start:keras2_apply_dense]
    class OnlyOldMethods(keras.optimizers.Optimizer):
        def __init__(self, learning_rate=0.01, name="only_old_methods", **kwargs):
            super().__init__(learning_rate=learning_rate, name=name, **kwargs)

        def _resource_apply_dense(self, grad, var, apply_state=None):
            var.assign_sub(0.05 * grad)

    train(OnlyOldMethods(learning_rate=0.05), epochs=1)
    # --8<-- [end:keras2_apply_dense]
except NotImplementedError as error:
    print(f"{type(error).__name__}: {error}")

try:
    # --8<-- [start:integer_learning_rate]
    MomentumSGD(learning_rate=1, momentum=0.9)
    # --8<-- [end:integer_learning_rate]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")
