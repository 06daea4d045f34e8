"""A custom learning-rate schedule (keras.optimizers.schedules.LearningRateSchedule):
its values, its use by an optimizer, a built-in equivalent, saving, and the callback
alternative.

Run it as a script: python snippets/training/schedules.py
"""

from schedules_warmup_cosine import WarmupCosine  # the class the page shows (schedules_warmup_cosine.py)

# --8<-- [start:imports]
import logging
import warnings

import numpy as np
import keras

logging.getLogger("tensorflow").setLevel(logging.ERROR)  # (1)!
# --8<-- [end:imports]

# --8<-- [start:values]
schedule = WarmupCosine(peak=0.1, warmup_steps=10, decay_steps=90)
steps = [0, 5, 10, 55, 100, 150]
print("step: ", steps)
print("rate: ", [round(float(schedule(step)), 4) for step in steps])
# --8<-- [end:values]

# --8<-- [start:builtin]
builtin = keras.optimizers.schedules.CosineDecay(
    initial_learning_rate=0.0, decay_steps=90, warmup_target=0.1, warmup_steps=10
)
all_steps = np.arange(0, 151)
mine = keras.ops.convert_to_numpy(schedule(all_steps))
theirs = np.array([float(builtin(step)) for step in all_steps])
print("max abs difference:", round(float(np.max(np.abs(mine - theirs))), 6))
print("allclose:", np.allclose(mine, theirs, atol=1e-6))
# --8<-- [end:builtin]

# --8<-- [start:fit]
rng = np.random.default_rng(0)
x = rng.normal(size=(64, 3)).astype("float32")
y = x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32") + 0.3

keras.utils.set_random_seed(7)
model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=schedule), loss="mse")  # (1)!
model.fit(x, y, batch_size=16, epochs=3, verbose=0)

step = int(model.optimizer.iterations)
print("steps:", step)
print("optimizer.learning_rate:", round(float(model.optimizer.learning_rate), 4))  # (2)!
print("schedule(12):", round(float(schedule(12)), 4))
# --8<-- [end:fit]

# --8<-- [start:save_load]
model.save("scheduled.keras")
reloaded = keras.models.load_model("scheduled.keras")

saved = reloaded.optimizer.get_config()["learning_rate"]  # (1)!
print(saved["class_name"], saved["config"])
print("same config:", reloaded.optimizer.get_config() == model.optimizer.get_config())
restored = keras.optimizers.schedules.deserialize(saved)
print("same values:", all(
    float(restored(step)) == float(schedule(step)) for step in range(0, 151)
))
print("same current rate:", float(reloaded.optimizer.learning_rate) == float(model.optimizer.learning_rate))
print("same predictions:", np.allclose(model.predict(x, verbose=0), reloaded.predict(x, verbose=0)))
# --8<-- [end:save_load]

# --8<-- [start:custom_objects]
class LocalWarmupCosine(WarmupCosine):  # not registered
    pass


local_model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
local_model.compile(
    optimizer=keras.optimizers.SGD(learning_rate=LocalWarmupCosine(0.1, 10, 90)), loss="mse"
)
local_model.fit(x, y, batch_size=16, epochs=1, verbose=0)
local_model.save("local.keras")

restored_model = keras.models.load_model(
    "local.keras", custom_objects={"LocalWarmupCosine": LocalWarmupCosine}
)
print(restored_model.optimizer.get_config()["learning_rate"]["class_name"])
print("same config:", restored_model.optimizer.get_config() == local_model.optimizer.get_config())
print("same predictions:", np.allclose(
    local_model.predict(x, verbose=0), restored_model.predict(x, verbose=0)
))
# --8<-- [end:custom_objects]


# --8<-- [start:callback]
def halve_every_epoch(epoch, learning_rate):  # (1)!
    return 0.1 * 0.5**epoch


keras.utils.set_random_seed(7)
per_epoch = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
per_epoch.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse")
history = per_epoch.fit(
    x, y, batch_size=16, epochs=3, verbose=0,
    callbacks=[keras.callbacks.LearningRateScheduler(halve_every_epoch)],
)
print([round(rate, 4) for rate in history.history["learning_rate"]])  # (2)!
# --8<-- [end:callback]

try:
    # --8<-- [start:callback_and_schedule]
    model.fit(
        x, y, batch_size=16, epochs=1, verbose=0,
        callbacks=[keras.callbacks.LearningRateScheduler(halve_every_epoch)],
    )
    # --8<-- [end:callback_and_schedule]
except TypeError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:python_if]
class StepDrop(keras.optimizers.schedules.LearningRateSchedule):
    def __call__(self, step):
        if step < 4:
            return 0.1
        return 0.01

    def get_config(self):
        return {}


keras.utils.set_random_seed(7)
dropping = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
dropping.compile(optimizer=keras.optimizers.SGD(learning_rate=StepDrop()), loss="mse")
# --8<-- [end:python_if]

try:
    # --8<-- [start:python_if_fit]
    dropping.fit(x, y, batch_size=16, epochs=1, verbose=0)
    # --8<-- [end:python_if_fit]
except Exception as error:  # OperatorNotAllowedInGraphError
    print(f"{type(error).__name__}: {error}")


# --8<-- [start:where]
class StepDrop(keras.optimizers.schedules.LearningRateSchedule):
    def __call__(self, step):
        return keras.ops.where(step < 4, 0.1, 0.01)

    def get_config(self):
        return {}


keras.utils.set_random_seed(7)
dropping = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
dropping.compile(optimizer=keras.optimizers.SGD(learning_rate=StepDrop()), loss="mse")
dropping.fit(x, y, batch_size=16, epochs=2, verbose=0)
print([round(float(StepDrop()(step)), 4) for step in range(8)])
# --8<-- [end:where]


# --8<-- [start:no_get_config]
class NoConfig(keras.optimizers.schedules.LearningRateSchedule):
    def __call__(self, step):
        return 0.1 / (1.0 + keras.ops.cast(step, "float32"))


unsaveable = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
unsaveable.compile(optimizer=keras.optimizers.SGD(learning_rate=NoConfig()), loss="mse")
# --8<-- [end:no_get_config]

try:
    # --8<-- [start:no_get_config_save]
    unsaveable.save("no_config.keras")
    # --8<-- [end:no_get_config_save]
except NotImplementedError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:keras2_decay]
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    old_style = keras.optimizers.SGD(learning_rate=0.1, decay=1e-4)
print(f"{caught[0].category.__name__}: {caught[0].message}")
print("decay" in old_style.get_config())

inverse_time = keras.optimizers.schedules.InverseTimeDecay(0.1, decay_steps=1, decay_rate=1e-4)
print([round(float(inverse_time(step)), 4) for step in (0, 1000, 10000)])  # (1)!
# --8<-- [end:keras2_decay]
