"""Custom callbacks (keras.callbacks.Callback): which methods fit, evaluate and predict
call and in what order, what they receive, and how a callback stops training.

Run it as a script: python snippets/training/callbacks.py
"""

# --8<-- [start:imports]
import logging
import numpy as np
import keras

logging.getLogger("tensorflow").setLevel(logging.ERROR)  # (1)!
# --8<-- [end:imports]

# --8<-- [start:data]
rng = np.random.default_rng(0)
x = rng.normal(size=(8, 3)).astype("float32")
y = x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32") + 0.3


def make_model(learning_rate=0.05):
    keras.utils.set_random_seed(7)
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=learning_rate), loss="mse", metrics=["mae"]
    )
    return model
# --8<-- [end:data]


# --8<-- [start:recorder]
class CallRecorder(keras.callbacks.Callback):
    """Writes down every method Keras calls, indented by nesting level."""

    def __init__(self):
        super().__init__()  # (1)!
        self.calls = []
        self.depth = 0

    def record(self, name, index=""):
        if name.endswith("_end"):
            self.depth -= 1
        self.calls.append("  " * self.depth + f"{name} {index}".rstrip())
        if name.endswith("_begin"):
            self.depth += 1

    def on_train_begin(self, logs=None): self.record("on_train_begin")
    def on_train_end(self, logs=None): self.record("on_train_end")
    def on_epoch_begin(self, epoch, logs=None): self.record("on_epoch_begin", epoch)
    def on_epoch_end(self, epoch, logs=None): self.record("on_epoch_end", epoch)
    def on_train_batch_begin(self, batch, logs=None): self.record("on_train_batch_begin", batch)
    def on_train_batch_end(self, batch, logs=None): self.record("on_train_batch_end", batch)
    def on_test_begin(self, logs=None): self.record("on_test_begin")
    def on_test_end(self, logs=None): self.record("on_test_end")
    def on_test_batch_begin(self, batch, logs=None): self.record("on_test_batch_begin", batch)
    def on_test_batch_end(self, batch, logs=None): self.record("on_test_batch_end", batch)
    def on_predict_begin(self, logs=None): self.record("on_predict_begin")
    def on_predict_end(self, logs=None): self.record("on_predict_end")
    def on_predict_batch_begin(self, batch, logs=None): self.record("on_predict_batch_begin", batch)
    def on_predict_batch_end(self, batch, logs=None): self.record("on_predict_batch_end", batch)
# --8<-- [end:recorder]


# --8<-- [start:fit_order]
model = make_model()
recorder = CallRecorder()
model.fit(x, y, batch_size=4, epochs=2, verbose=0, callbacks=[recorder])  # (1)!
print("\n".join(recorder.calls))
# --8<-- [end:fit_order]


# --8<-- [start:validation_order]
recorder = CallRecorder()
model.fit(x, y, batch_size=4, epochs=1, validation_data=(x, y), verbose=0, callbacks=[recorder])
print("\n".join(recorder.calls))
# --8<-- [end:validation_order]


# --8<-- [start:evaluate_predict]
recorder = CallRecorder()
model.evaluate(x, y, batch_size=4, verbose=0, callbacks=[recorder])
model.predict(x, batch_size=4, verbose=0, callbacks=[recorder])
print("\n".join(recorder.calls))
# --8<-- [end:evaluate_predict]


# --8<-- [start:batch_alias]
class OldStyleBatchCounter(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.count = 0

    def on_batch_end(self, batch, logs=None):  # (1)!
        self.count += 1


counter = OldStyleBatchCounter()
model.fit(x, y, batch_size=4, epochs=2, verbose=0, callbacks=[counter])
print("after fit:", counter.count)
model.evaluate(x, y, batch_size=4, verbose=0, callbacks=[counter])
print("after evaluate:", counter.count)
# --8<-- [end:batch_alias]


# --8<-- [start:logs]
class ShowLogs(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        print(f"batch {batch}:", {name: round(value, 4) for name, value in logs.items()})

    def on_epoch_end(self, epoch, logs=None):
        print(f"epoch {epoch}:", {name: round(value, 4) for name, value in logs.items()})


frozen = make_model(learning_rate=0.0)  # (1)!
frozen.fit(
    x, y, batch_size=4, epochs=1, shuffle=False, validation_data=(x, y), verbose=0,
    callbacks=[ShowLogs()],
)

first, second = (frozen.evaluate(x[i : i + 4], y[i : i + 4], verbose=0)[0] for i in (0, 4))
print("loss of batch 0:", round(first, 4), "| loss of batch 1:", round(second, 4))
print("mean of the two:", round((first + second) / 2, 4))
# --8<-- [end:logs]


# --8<-- [start:model_access]
class WatchModel(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        print("params:", self.params)  # (1)!

    def on_epoch_end(self, epoch, logs=None):
        kernel = self.model.layers[0].kernel  # (2)!
        rate = self.model.optimizer.learning_rate
        print(
            f"epoch {epoch}: steps={int(self.model.optimizer.iterations)}",
            f"kernel norm={round(float(np.linalg.norm(kernel.numpy())), 4)}",
            f"learning_rate={round(float(rate), 4)}",
        )


model = make_model()
model.fit(x, y, batch_size=4, epochs=2, verbose=0, callbacks=[WatchModel()])
# --8<-- [end:model_access]


# --8<-- [start:stop_training]
class StopBelow(keras.callbacks.Callback):
    def __init__(self, threshold):
        super().__init__()
        self.threshold = threshold

    def on_epoch_end(self, epoch, logs=None):
        if logs["loss"] < self.threshold:
            print(f"epoch {epoch}: loss {round(logs['loss'], 4)} < {self.threshold}, stopping")
            self.model.stop_training = True  # (1)!


model = make_model(learning_rate=0.1)
history = model.fit(x, y, batch_size=4, epochs=50, verbose=0, callbacks=[StopBelow(0.5)])
print("epochs run:", len(history.history["loss"]))
# --8<-- [end:stop_training]


# --8<-- [start:patience]
class PatienceStopping(keras.callbacks.Callback):
    """Stops when `monitor` has not improved by at least `min_delta` for `patience`
    epochs in a row, then puts back the best weights."""

    def __init__(self, monitor, patience, min_delta=0.0):
        super().__init__()
        self.monitor = monitor
        self.patience = patience
        self.min_delta = min_delta

    def on_train_begin(self, logs=None):  # (1)!
        self.best = np.inf
        self.best_weights = None
        self.best_epoch = None
        self.wait = 0
        self.stopped_epoch = None

    def on_epoch_end(self, epoch, logs=None):
        current = logs[self.monitor]
        if current < self.best - self.min_delta:
            self.best, self.best_epoch, self.wait = current, epoch, 0
            self.best_weights = self.model.get_weights()
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.best_weights is not None:
            self.model.set_weights(self.best_weights)  # (2)!
# --8<-- [end:patience]


# --8<-- [start:patience_compare]
x_val = rng.normal(size=(8, 3)).astype("float32")
y_val = x_val @ np.array([[1.0], [0.0], [0.5]], dtype="float32") + 0.3  # (1)!

mine = PatienceStopping(monitor="val_loss", patience=2, min_delta=0.01)
model_a = make_model(learning_rate=0.1)
history = model_a.fit(x, y, batch_size=4, epochs=20, validation_data=(x_val, y_val), verbose=0,
                      callbacks=[mine])
print("val_loss:", [round(value, 3) for value in history.history["val_loss"]])

builtin = keras.callbacks.EarlyStopping(
    monitor="val_loss", patience=2, min_delta=0.01, restore_best_weights=True
)
model_b = make_model(learning_rate=0.1)
model_b.fit(x, y, batch_size=4, epochs=20, validation_data=(x_val, y_val), verbose=0,
            callbacks=[builtin])

print("mine:    best epoch", mine.best_epoch, "stopped at", mine.stopped_epoch)
print("builtin: best epoch", builtin.best_epoch, "stopped at", builtin.stopped_epoch)
print("same weights:", all(
    np.allclose(a, b) for a, b in zip(model_a.get_weights(), model_b.get_weights())
))
# --8<-- [end:patience_compare]


# --8<-- [start:not_saved]
print(hasattr(keras.callbacks.Callback, "get_config"))
# --8<-- [end:not_saved]


try:
    # --8<-- [start:keras2_lr]
    model.optimizer.lr
    # --8<-- [end:keras2_lr]
except AttributeError as error:
    print(f"{type(error).__name__}: {error}")

try:
    # --8<-- [start:keras2_lr_fit]
    class Keras2Decay(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            old_rate = keras.backend.get_value(self.model.optimizer.lr)
            keras.backend.set_value(self.model.optimizer.lr, old_rate * 0.5)

    make_model().fit(x, y, batch_size=4, epochs=2, verbose=0, callbacks=[Keras2Decay()])
    # --8<-- [end:keras2_lr_fit]
except AttributeError as error:
    print(f"{type(error).__name__}: {error}")


# --8<-- [start:keras3_lr]
class HalveEachEpoch(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        old_rate = float(self.model.optimizer.learning_rate)
        self.model.optimizer.learning_rate = old_rate * 0.5  # (1)!


model = make_model(learning_rate=0.1)
model.fit(x, y, batch_size=4, epochs=2, verbose=0, callbacks=[HalveEachEpoch()])
print(round(float(model.optimizer.learning_rate), 4))
# --8<-- [end:keras3_lr]


# --8<-- [start:batch_loss]
class BatchLoss(keras.callbacks.Callback):
    def __init__(self, batch_size, examples):
        super().__init__()
        self.batch_size, self.examples = batch_size, examples

    def on_epoch_begin(self, epoch, logs=None):
        self.seen, self.mean, self.naive, self.exact = 0, 0.0, [], []

    def on_train_batch_end(self, batch, logs=None):
        size = min(self.batch_size, self.examples - self.seen)
        seen = self.seen + size
        self.naive.append((batch + 1) * logs["loss"] - batch * self.mean)
        self.exact.append((seen * logs["loss"] - self.seen * self.mean) / size)
        self.seen, self.mean = seen, logs["loss"]


recorder = BatchLoss(batch_size=3, examples=len(x))
frozen.fit(x, y, batch_size=3, epochs=1, shuffle=False, verbose=0, callbacks=[recorder])

alone = [frozen.evaluate(x[i : i + 3], y[i : i + 3], verbose=0)[0] for i in (0, 3, 6)]
print("evaluated alone:  ", [round(value, 4) for value in alone])
print("from the examples:", [round(value, 4) for value in recorder.exact])
print("from the batches: ", [round(value, 4) for value in recorder.naive])
# --8<-- [end:batch_loss]
