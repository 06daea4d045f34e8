"""Metrics people compose: F1 and F-beta, precision and recall at several thresholds or the
top k, RMSE versus the square root of a per-batch loss, and metrics in a custom train_step.

Run it as a script: python snippets/common_problems/composed_metrics.py
"""

# --8<-- [start:imports]
import numpy as np
import tensorflow as tf
import keras
# --8<-- [end:imports]

# --8<-- [start:binary_data]
keras.utils.set_random_seed(0)
labels = np.array([0, 1, 1, 0, 1, 0, 0, 1], dtype="float32")   # shape (8,)
scores = np.array([0.2, 0.9, 0.4, 0.45, 0.7, 0.1, 0.3, 0.8], dtype="float32")
print(labels.shape, scores.shape)
# --8<-- [end:binary_data]

try:
    # --8<-- [start:f1_rank1]
    f1 = keras.metrics.F1Score(threshold=0.5)
    f1.update_state(labels, scores)
    # --8<-- [end:f1_rank1]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:f1_rank2]
column_labels = labels.reshape(-1, 1)   # (8, 1): one column per class
column_scores = scores.reshape(-1, 1)
f1 = keras.metrics.F1Score(threshold=0.5)
f1.update_state(column_labels, column_scores)
print("F1, threshold 0.5:", np.round(keras.ops.convert_to_numpy(f1.result()), 4))

integer_labels = column_labels.astype("int32")
f1_int = keras.metrics.F1Score(threshold=0.5)
f1_int.update_state(integer_labels, column_scores)
print("same with int32 labels:", np.round(keras.ops.convert_to_numpy(f1_int.result()), 4))
# --8<-- [end:f1_rank2]

# --8<-- [start:f1_no_threshold]
no_threshold = keras.metrics.F1Score()  # (1)!
no_threshold.update_state(column_labels, column_scores)
print("F1, threshold None:", np.round(keras.ops.convert_to_numpy(no_threshold.result()), 4))
print("F1 if every example is called positive:", round(2 * 0.5 / (0.5 + 1.0), 4))
# --8<-- [end:f1_no_threshold]

try:
    # --8<-- [start:f1_int_threshold]
    keras.metrics.F1Score(threshold=1)
    # --8<-- [end:f1_int_threshold]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:f1_average]
classes = np.array([1, 2, 0, 1, 2, 1])
one_hot = keras.utils.to_categorical(classes, num_classes=3)   # (6, 3)
probabilities = np.array([
    [0.1, 0.7, 0.2], [0.2, 0.3, 0.5], [0.6, 0.3, 0.1],
    [0.5, 0.4, 0.1], [0.1, 0.2, 0.7], [0.3, 0.3, 0.4],
], dtype="float32")
for average in [None, "micro", "macro", "weighted"]:
    metric = keras.metrics.F1Score(average=average)
    metric.update_state(one_hot, probabilities)
    print(f"{average!s:>8}:", np.round(keras.ops.convert_to_numpy(metric.result()), 4))
# --8<-- [end:f1_average]

# --8<-- [start:f1_sparse_labels]
sparse = keras.metrics.F1Score(average="macro")
sparse.update_state(classes.reshape(-1, 1), probabilities)   # class ids, not one-hot
print("class ids:", np.round(keras.ops.convert_to_numpy(sparse.result()), 4))
dense = keras.metrics.F1Score(average="macro")
dense.update_state(one_hot, probabilities)
print("one-hot:  ", np.round(keras.ops.convert_to_numpy(dense.result()), 4))
# --8<-- [end:f1_sparse_labels]

# --8<-- [start:fbeta]
for beta in [0.5, 1.0, 2.0]:
    metric = keras.metrics.FBetaScore(beta=beta, threshold=0.5)
    metric.update_state(column_labels, column_scores)
    print(f"beta={beta}:", np.round(keras.ops.convert_to_numpy(metric.result()), 4))
# --8<-- [end:fbeta]

# --8<-- [start:thresholds]
precision = keras.metrics.Precision(thresholds=[0.3, 0.5, 0.75])
recall = keras.metrics.Recall(thresholds=[0.3, 0.5, 0.75])
precision.update_state(labels, scores)
recall.update_state(labels, scores)
print("precision:", np.round(keras.ops.convert_to_numpy(precision.result()), 4))
print("recall:   ", np.round(keras.ops.convert_to_numpy(recall.result()), 4))
# --8<-- [end:thresholds]

# --8<-- [start:top_k]
top1 = keras.metrics.Precision(top_k=1)
top2 = keras.metrics.Recall(top_k=2)
top1.update_state(one_hot, probabilities)
top2.update_state(one_hot, probabilities)
accuracy = keras.metrics.CategoricalAccuracy()
accuracy.update_state(one_hot, probabilities)
print("precision, top 1:", round(float(top1.result()), 4))
print("accuracy:        ", round(float(accuracy.result()), 4))
print("recall, top 2:   ", round(float(top2.result()), 4))
# --8<-- [end:top_k]

# --8<-- [start:regression_data]
keras.utils.set_random_seed(1)
x = np.random.rand(10, 2).astype("float32")
y = (3 * x[:, :1] - x[:, 1:]).astype("float32")
regressor = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1, kernel_initializer="ones")])
# --8<-- [end:regression_data]

# --8<-- [start:rmse_three]
def batch_rmse(y_true, y_pred):  # (1)!
    return keras.ops.sqrt(keras.ops.mean(keras.ops.square(y_true - y_pred)))


regressor.compile(
    optimizer="sgd",
    loss="mse",
    metrics=[keras.metrics.RootMeanSquaredError(name="rmse"), batch_rmse],
)
logs = regressor.evaluate(x, y, batch_size=4, verbose=0, return_dict=True)  # (2)!

squared = (regressor.predict(x, verbose=0) - y) ** 2
batch_mse = [squared[i:i + 4].mean() for i in range(0, len(x), 4)]
print("batch sizes:", [len(squared[i:i + 4]) for i in range(0, len(x), 4)])
print("RootMeanSquaredError metric:  ", round(logs["rmse"], 4))
print("sqrt of the logged mse loss:  ", round(float(np.sqrt(logs["loss"])), 4))
print("sqrt of the mean of batch MSE:", round(float(np.sqrt(np.mean(batch_mse))), 4))
print("mean of the batch RMSEs:      ", round(logs["batch_rmse"], 4))
print("  computed by hand:           ", round(float(np.mean(np.sqrt(batch_mse))), 4))
# --8<-- [end:rmse_three]

# --8<-- [start:step_data]
def fresh(model_class, metrics=True):
    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(2,))
    model = model_class(inputs, keras.layers.Dense(1)(inputs))
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse",
                  metrics=[keras.metrics.RootMeanSquaredError(name="rmse")] if metrics else None)
    return model


def rounded(history):
    return {key: [round(float(value), 4) for value in values]
            for key, values in sorted(history.history.items())}
# --8<-- [end:step_data]

try:
    # --8<-- [start:step_without_metrics]
    class LossOnlyModel(keras.Model):
        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
            gradients = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply(gradients, self.trainable_variables)
            return {"loss": loss}  # (1)!


    fresh(LossOnlyModel).fit(x, y, batch_size=4, epochs=2, verbose=0)
    # --8<-- [end:step_without_metrics]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")


# --8<-- [start:step_loss_only]
class BatchLosses(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.seen = []

    def on_train_batch_end(self, batch, logs=None):
        self.seen.append(round(float(logs["loss"]), 4))


batches = BatchLosses()
loss_only = fresh(LossOnlyModel, metrics=False)  # (1)!
history = loss_only.fit(x, y, batch_size=4, epochs=2, verbose=0, callbacks=[batches])
print("history:", rounded(history))
print("batch logs:", batches.seen)
# --8<-- [end:step_loss_only]


# --8<-- [start:step_fixed]
class TrackedModel(keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(gradients, self.trainable_variables)
        for metric in self.metrics:
            if metric.name == "loss":  # (1)!
                metric.update_state(loss, sample_weight=tf.shape(y_pred)[0])
            else:
                metric.update_state(y, y_pred)  # (2)!
        return self.get_metrics_result()  # (3)!


tracked = fresh(TrackedModel).fit(x, y, batch_size=4, epochs=2, verbose=0)
default = fresh(keras.Model).fit(x, y, batch_size=4, epochs=2, verbose=0)
print("custom step: ", rounded(tracked))
print("default step:", rounded(default))
# --8<-- [end:step_fixed]
