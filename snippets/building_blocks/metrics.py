"""Custom metrics: a function averaged per batch, a streaming `keras.metrics.Metric`
subclass, built-in streaming metrics in a custom loop, losses used as metrics, and the
book-era mistakes that break on Keras 3.

Run it as a script: python snippets/building_blocks/metrics.py
"""

# --8<-- [start:imports]
import numpy as np
import keras
# --8<-- [end:imports]

# --8<-- [start:function_metric]
def absolute_error(y_true, y_pred):
    return keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1)  # (1)!


def precision_fn(y_true, y_pred):
    predicted = keras.ops.cast(y_pred > 0.5, "float32")
    true_positives = keras.ops.sum(predicted * y_true)
    return true_positives / keras.ops.maximum(keras.ops.sum(predicted), 1.0)  # (2)!


labels = np.array([1, 1, 1, 1, 0, 0, 0, 0, 1, 1], dtype="float32").reshape(-1, 1)
scores = np.array([0.9, 0.8, 0.7, 0.6, 0.9, 0.8, 0.7, 0.2, 0.1, 0.3], dtype="float32").reshape(-1, 1)

model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Identity()])  # (3)!
model.compile(loss="binary_crossentropy", metrics=[absolute_error, precision_fn])
for batch_size in (10, 4):
    report = model.evaluate(scores, labels, batch_size=batch_size, verbose=0, return_dict=True)
    print(f"batch_size={batch_size:2}", round(report["absolute_error"], 4), round(report["precision_fn"], 4))
# --8<-- [end:function_metric]

# --8<-- [start:function_metric_batches]
batch_values = [float(precision_fn(labels[i : i + 4], scores[i : i + 4])) for i in (0, 4, 8)]
print("per batch:", batch_values)
print("mean of the batch values:", round(sum(batch_values) / len(batch_values), 4))
print("precision of all 10 examples:", round(float(precision_fn(labels, scores)), 4))
# --8<-- [end:function_metric_batches]

# --8<-- [start:subclass]
class ThresholdPrecision(keras.metrics.Metric):
    def __init__(self, threshold, name="threshold_precision", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.threshold = threshold
        self.true_positives = self.add_variable(
            shape=(), initializer="zeros", name="true_positives"  # (1)!
        )
        self.predicted_positives = self.add_weight(
            name="predicted_positives", shape=(), initializer="zeros"  # (2)!
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = keras.ops.reshape(keras.ops.cast(y_true, self.dtype), (-1,))
        predicted = keras.ops.cast(keras.ops.reshape(y_pred, (-1,)) > self.threshold, self.dtype)
        if sample_weight is not None:  # (3)!
            predicted = predicted * keras.ops.reshape(keras.ops.cast(sample_weight, self.dtype), (-1,))
        self.true_positives.assign_add(keras.ops.sum(predicted * y_true))
        self.predicted_positives.assign_add(keras.ops.sum(predicted))

    def result(self):
        return keras.ops.divide_no_nan(self.true_positives, self.predicted_positives)  # (4)!

    def reset_state(self):  # (5)!
        self.true_positives.assign(0.0)
        self.predicted_positives.assign(0.0)

    def get_config(self):
        return {**super().get_config(), "threshold": self.threshold}  # (6)!


print(ThresholdPrecision(threshold=0.75).get_config())
# --8<-- [end:subclass]

# --8<-- [start:subclass_evaluate]
model.compile(loss="binary_crossentropy", metrics=[precision_fn, ThresholdPrecision(threshold=0.5)])
for batch_size in (10, 4):
    report = model.evaluate(scores, labels, batch_size=batch_size, verbose=0, return_dict=True)
    print(f"batch_size={batch_size:2}", round(report["precision_fn"], 4), round(report["threshold_precision"], 4))
# --8<-- [end:subclass_evaluate]

# --8<-- [start:subclass_sample_weight]
weights = np.array([1, 1, 0, 0, 2, 1, 1, 1, 1, 1], dtype="float32")

mine = ThresholdPrecision(threshold=0.5)
mine.update_state(labels, scores, sample_weight=weights)
builtin = keras.metrics.Precision()
builtin.update_state(labels, scores, sample_weight=weights)
print("update_state:", round(float(mine.result()), 4), round(float(builtin.result()), 4))

model.compile(loss="binary_crossentropy", weighted_metrics=[ThresholdPrecision(threshold=0.5)])  # (1)!
report = model.evaluate(scores, labels, sample_weight=weights, batch_size=4, verbose=0, return_dict=True)
print("evaluate:", round(report["threshold_precision"], 4))
# --8<-- [end:subclass_sample_weight]

# --8<-- [start:custom_loop]
keras.utils.set_random_seed(8)
features = np.random.normal(size=(10, 2)).astype("float32")
noise = np.random.normal(size=(10, 1)).astype("float32")
targets = (features[:, :1] + features[:, 1:] + noise > 0).astype("float32")

classifier = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1, activation="sigmoid")])
classifier.set_weights([np.array([[-1.0], [0.5]], "float32"), np.zeros(1, "float32")])
classifier.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5), loss="binary_crossentropy")
mean_loss = keras.metrics.Mean()  # (1)!
accuracy = keras.metrics.BinaryAccuracy()

for epoch in range(3):
    for start in range(0, 10, 4):  # batches of 4, 4 and 2 examples
        x_batch, y_batch = features[start : start + 4], targets[start : start + 4]
        probabilities = classifier.predict_on_batch(x_batch)
        loss = classifier.train_on_batch(x_batch, y_batch)  # (2)!
        mean_loss.update_state(loss, sample_weight=len(x_batch))  # (3)!
        accuracy.update_state(y_batch, probabilities)
    print(f"epoch {epoch}: loss {float(mean_loss.result()):.4f}, accuracy {float(accuracy.result()):.4f}")
    mean_loss.reset_state()  # (4)!
    accuracy.reset_state()
# --8<-- [end:custom_loop]

# --8<-- [start:loss_as_metric]
candidates = {
    "function keras.losses.mean_squared_error": keras.losses.mean_squared_error,
    "metric keras.metrics.MeanSquaredError()": keras.metrics.MeanSquaredError(),
    "loss keras.losses.MeanSquaredError()": keras.losses.MeanSquaredError(),
}
for label, candidate in candidates.items():
    model.compile(loss="binary_crossentropy", metrics=[candidate])
    report = model.evaluate(scores, labels, batch_size=4, verbose=0, return_dict=True)
    print(f"{label:42}", round(report["mean_squared_error"], 4))
print(f"{'MSE of all 10 examples':42}", round(float(keras.losses.MeanSquaredError()(labels, scores)), 4))
# --8<-- [end:loss_as_metric]

# --8<-- [start:save_setup]
classifier.compile(
    optimizer="sgd", loss="binary_crossentropy", metrics=[ThresholdPrecision(threshold=0.3)]
)
before = classifier.predict(features, verbose=0)
print("threshold 0.3:", round(classifier.evaluate(features, targets, verbose=0, return_dict=True)["threshold_precision"], 4))

half = ThresholdPrecision(threshold=0.5)
half.update_state(targets, before)
print("threshold 0.5:", round(float(half.result()), 4))
# --8<-- [end:save_setup]

# --8<-- [start:save_custom_objects]
def compiled_metric(model):
    return model.metrics[1].metrics[0]  # after evaluate: [loss tracker, compiled metrics]


classifier.save("precision.keras")
reloaded = keras.models.load_model(
    "precision.keras", custom_objects={"ThresholdPrecision": ThresholdPrecision}
)
print(np.allclose(before, reloaded.predict(features, verbose=0)))
print(round(reloaded.evaluate(features, targets, verbose=0, return_dict=True)["threshold_precision"], 4))
print("threshold:", compiled_metric(reloaded).threshold)
print("same config:", compiled_metric(reloaded).get_config() == compiled_metric(classifier).get_config())
# --8<-- [end:save_custom_objects]

# --8<-- [start:save_registered]
keras.saving.register_keras_serializable(package="keras_hooks")(ThresholdPrecision)  # (1)!
precision = ThresholdPrecision(threshold=0.3)
classifier.compile(optimizer="sgd", loss="binary_crossentropy", metrics=[precision])
classifier.save("precision_registered.keras")
reloaded = keras.models.load_model("precision_registered.keras")
print(np.allclose(before, reloaded.predict(features, verbose=0)))
print(round(reloaded.evaluate(features, targets, verbose=0, return_dict=True)["threshold_precision"], 4))
print("threshold:", compiled_metric(reloaded).threshold)
print("same config:", compiled_metric(reloaded).get_config() == precision.get_config())
# --8<-- [end:save_registered]

# --8<-- [start:metric_state]
def counts(model):
    return {v.name: float(v) for v in model.metrics_variables if v.path.startswith("threshold_precision/")}


classifier.evaluate(features, targets, verbose=0)
print("before saving: ", counts(classifier))
classifier.save("precision_state.keras")
reloaded = keras.models.load_model("precision_state.keras")
print("after loading: ", counts(reloaded))
reloaded.evaluate(features[:5], targets[:5], verbose=0)
print("after evaluate:", counts(reloaded))
print("same config:", compiled_metric(reloaded).get_config() == compiled_metric(classifier).get_config())
# --8<-- [end:metric_state]

try:
    # --8<-- [start:old_add_weight]
    class OldStyleMean(keras.metrics.Metric):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.total = self.add_weight("total", initializer="zeros")

    OldStyleMean()
    # --8<-- [end:old_add_weight]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:old_add_weight_fix]
class FixedMean(keras.metrics.Metric):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.total = self.add_weight(name="total", initializer="zeros")  # (1)!

print([variable.name for variable in FixedMean().variables])
# --8<-- [end:old_add_weight_fix]

# --8<-- [start:old_reset_states]
class CountingPrecision(ThresholdPrecision):
    resets = 0

    def reset_states(self):  # (1)!
        self.resets += 1
        super().reset_state()


class FixedCountingPrecision(ThresholdPrecision):
    resets = 0

    def reset_state(self):
        self.resets += 1
        super().reset_state()


for metric in (CountingPrecision(threshold=0.5), FixedCountingPrecision(threshold=0.5)):
    classifier.compile(optimizer="sgd", loss="binary_crossentropy", metrics=[metric])
    classifier.fit(features, targets, epochs=3, batch_size=4, verbose=0)  # (2)!
    print(type(metric).__name__, "resets:", metric.resets)
# --8<-- [end:old_reset_states]
