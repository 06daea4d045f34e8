"""Checkpoints: ModelCheckpoint file names, resuming from the newest file, BackupAndRestore.

Every file goes to a temporary directory.
Run it as a script: python snippets/common_problems/checkpoints.py
"""

# --8<-- [start:imports]
import os
import re
import tempfile

import numpy as np
import keras
# --8<-- [end:imports]

# --8<-- [start:data]
keras.utils.set_random_seed(0)
x = np.random.rand(32, 2).astype("float32")
y = (2 * x[:, :1] - x[:, 1:]).astype("float32")


def build():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    return model


def rounded(values):
    return [round(value, 4) for value in values]


workdir = tempfile.mkdtemp()  # (1)!
# --8<-- [end:data]

try:
    # --8<-- [start:wrong_model_extension]
    keras.callbacks.ModelCheckpoint(os.path.join(workdir, "model.ckpt"))
    # --8<-- [end:wrong_model_extension]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

try:
    # --8<-- [start:wrong_weights_extension]
    keras.callbacks.ModelCheckpoint(os.path.join(workdir, "weights.h5"), save_weights_only=True)
    # --8<-- [end:wrong_weights_extension]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:keras2_model]
import tf_keras  # (1)!

tf_keras.utils.set_random_seed(0)
old = tf_keras.Sequential([tf_keras.Input(shape=(2,)), tf_keras.layers.Dense(1)])
old.compile(optimizer="sgd", loss="mse")
# --8<-- [end:keras2_model]

# --8<-- [start:keras2_names]
names = [("model.ckpt", True), ("saved_dir", False), ("weights.h5", True)]
folders = [tempfile.mkdtemp(dir=workdir) for _ in names]
old.fit(x, y, epochs=1, verbose=0, callbacks=[
    tf_keras.callbacks.ModelCheckpoint(os.path.join(folder, name), save_weights_only=weights_only)
    for folder, (name, weights_only) in zip(folders, names)])
for folder, (name, weights_only) in zip(folders, names):
    print(f"{name!r:13} weights only={weights_only!s:5} ->", sorted(os.listdir(folder)))
# --8<-- [end:keras2_names]

# --8<-- [start:right_names]
model_dir = os.path.join(workdir, "models")
weights_dir = os.path.join(workdir, "weights")
callbacks = [
    keras.callbacks.ModelCheckpoint(
        os.path.join(model_dir, "model-{epoch:02d}-{loss:.3f}.keras")),  # (1)!
    keras.callbacks.ModelCheckpoint(
        os.path.join(weights_dir, "epoch-{epoch:02d}.weights.h5"), save_weights_only=True),
]
model = build()
history = model.fit(x, y, epochs=3, verbose=0, callbacks=callbacks)
print("loss:", rounded(history.history["loss"]))
print(sorted(os.listdir(model_dir)))
print(sorted(os.listdir(weights_dir)))
# --8<-- [end:right_names]


# --8<-- [start:resume]
def epoch_of(name):
    return int(re.match(r"model-(\d+)-", name)[1])


newest = max(os.listdir(model_dir), key=epoch_of)  # (1)!
done = epoch_of(newest)
resumed = keras.models.load_model(os.path.join(model_dir, newest))
print("newest:", newest, "| epochs done:", done)
print("same config:", all(a.get_config() == b.get_config()
                          for a, b in zip(resumed.layers, model.layers)))  # (2)!
print("optimizer steps restored:", int(resumed.optimizer.iterations))  # (3)!

more = resumed.fit(x, y, epochs=5, initial_epoch=done, verbose=0)  # (4)!
print("epochs run:", more.epoch, "loss:", rounded(more.history["loss"]))
straight = build().fit(x, y, epochs=5, verbose=0)
print("five epochs in one go:", rounded(straight.history["loss"]))
# --8<-- [end:resume]


# --8<-- [start:backup_interrupt]
class Interrupt(keras.callbacks.Callback):
    def __init__(self, at_epoch):
        super().__init__()
        self.at_epoch = at_epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.at_epoch:
            raise RuntimeError(f"simulated crash at the start of epoch {epoch}")


class Report(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        print("epoch", epoch, "begins")


backup_dir = os.path.join(workdir, "backup")
try:
    build().fit(x, y, epochs=5, verbose=0, callbacks=[
        keras.callbacks.BackupAndRestore(backup_dir), Report(), Interrupt(at_epoch=3)])
except RuntimeError as error:
    print("fit stopped:", error)  # (1)!
print("backup:", sorted(os.listdir(backup_dir)))
# --8<-- [end:backup_interrupt]

# --8<-- [start:backup_resume]
history = build().fit(x, y, epochs=5, verbose=0, callbacks=[  # (1)!
    keras.callbacks.BackupAndRestore(backup_dir), Report()])
print("epochs run:", history.epoch, "loss:", rounded(history.history["loss"]))
print("backup left after a full run:", os.path.exists(backup_dir))
# --8<-- [end:backup_resume]
