"""A custom PyDataset (keras.utils.PyDataset): batches from Python code, the calls fit makes,
shuffling per epoch with a seeded generator, and what Keras 2 Sequence code must change.

Run it as a script: python snippets/training/pydataset.py
"""

# --8<-- [start:imports]
import logging
import math
import warnings

import numpy as np
import keras

logging.getLogger("tensorflow").setLevel(logging.ERROR)  # (1)!
# --8<-- [end:imports]

# --8<-- [start:data]
rng = np.random.default_rng(0)
x = rng.normal(size=(12, 3)).astype("float32")
y = x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32") + 0.3


def make_model():
    keras.utils.set_random_seed(7)
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss="mse")
    return model
# --8<-- [end:data]


# --8<-- [start:dataset]
class ArrayDataset(keras.utils.PyDataset):
    """Batches of (features, targets) from two arrays, optionally reshuffled every epoch."""

    def __init__(self, x, y, batch_size, seed=None, **kwargs):
        super().__init__(**kwargs)  # (1)!
        self.x, self.y = x, y
        self.batch_size = batch_size
        self.order = np.arange(len(x))
        self.rng = None if seed is None else np.random.default_rng(seed)  # (2)!

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)  # (3)!

    def __getitem__(self, index):
        ids = self.order[index * self.batch_size : (index + 1) * self.batch_size]
        return self.x[ids], self.y[ids]  # (4)!

    def on_epoch_end(self):
        if self.rng is not None:
            self.rng.shuffle(self.order)  # (5)!
# --8<-- [end:dataset]


# --8<-- [start:indexing]
dataset = ArrayDataset(x, y, batch_size=5)
print("batches:", len(dataset))
print("batch shapes:", [(features.shape, targets.shape) for features, targets in dataset])
# --8<-- [end:indexing]


# --8<-- [start:fit]
model = make_model()
history = model.fit(dataset, epochs=3, verbose=0)  # (1)!
print("loss per epoch:", [round(loss, 4) for loss in history.history["loss"]])
print("evaluate:", round(model.evaluate(dataset, verbose=0), 4))
print("predictions:", model.predict(dataset, verbose=0).shape)
# --8<-- [end:fit]


# --8<-- [start:logged]
class LoggedDataset(ArrayDataset):
    """Writes down every call Keras makes to the dataset."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.log = []

    def __getitem__(self, index):
        self.log.append(str(index))
        return super().__getitem__(index)

    def on_epoch_begin(self):
        self.log.append("on_epoch_begin")

    def on_epoch_end(self):
        self.log.append("on_epoch_end")
        super().on_epoch_end()
# --8<-- [end:logged]


# --8<-- [start:call_order]
logged = LoggedDataset(x, y, batch_size=5)
make_model().fit(logged, epochs=2, shuffle=False, verbose=0)
print(" ".join(logged.log))
# --8<-- [end:call_order]


# --8<-- [start:batch_order]
logged = LoggedDataset(x, y, batch_size=5)
make_model().fit(logged, epochs=3, verbose=0)  # (1)!
print(" ".join(logged.log))
# --8<-- [end:batch_order]


# --8<-- [start:seeded_shuffle]
class FirstBatchIds(ArrayDataset):
    def on_epoch_begin(self):
        print("first batch of this epoch:", self.order[: self.batch_size])


shuffled = FirstBatchIds(x, y, batch_size=5, seed=42)
make_model().fit(shuffled, epochs=3, shuffle=False, verbose=0)  # (1)!
# --8<-- [end:seeded_shuffle]


# --8<-- [start:seeded_repeat]
again = FirstBatchIds(x, y, batch_size=5, seed=42)
make_model().fit(again, epochs=3, shuffle=False, verbose=0)
# --8<-- [end:seeded_repeat]


# --8<-- [start:workers]
threaded = ArrayDataset(x, y, batch_size=5, workers=2, max_queue_size=4)  # (1)!
print(threaded.workers, threaded.use_multiprocessing, threaded.max_queue_size)
history = make_model().fit(threaded, epochs=3, shuffle=False, verbose=0)
print("loss per epoch:", [round(loss, 4) for loss in history.history["loss"]])
# --8<-- [end:workers]


# --8<-- [start:forgot_super]
class NoSuperDataset(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size):
        self.x, self.y, self.batch_size = x, y, batch_size  # no super().__init__()

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        window = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[window], self.y[window]


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    history = make_model().fit(NoSuperDataset(x, y, 5), epochs=3, shuffle=False, verbose=0)
for warning in caught:
    print(f"{warning.category.__name__}: {warning.message}")
print("loss per epoch:", [round(loss, 4) for loss in history.history["loss"]])
# --8<-- [end:forgot_super]


# --8<-- [start:sequence_alias]
print(keras.utils.Sequence is keras.utils.PyDataset)
# --8<-- [end:sequence_alias]

try:
    # --8<-- [start:keras2_fit_workers]
    make_model().fit(ArrayDataset(x, y, 5), epochs=1, workers=2, use_multiprocessing=False)
    # --8<-- [end:keras2_fit_workers]
except TypeError as error:
    print(f"{type(error).__name__}: {error}")

try:
    # --8<-- [start:keras2_fit_generator]
    make_model().fit_generator(ArrayDataset(x, y, 5), epochs=1)
    # --8<-- [end:keras2_fit_generator]
except AttributeError as error:
    print(f"{type(error).__name__}: {error}")

try:
    # --8<-- [start:targets_twice]
    make_model().fit(ArrayDataset(x, y, 5), y, epochs=1, verbose=0)
    # --8<-- [end:targets_twice]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")
