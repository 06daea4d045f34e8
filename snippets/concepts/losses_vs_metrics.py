"""Losses versus metrics: what the optimizer needs and what a person needs.

Run it as a script: python snippets/concepts/losses_vs_metrics.py
"""

# --8<-- [start:imports]
import numpy as np
import tensorflow as tf
import keras
# --8<-- [end:imports]

# --8<-- [start:gradients]
y_true = tf.constant([1.0, 0.0, 1.0])
logits = tf.Variable([0.3, -0.2, -1.5])

with tf.GradientTape(persistent=True) as tape:
    probabilities = tf.sigmoid(logits)
    loss = -tf.reduce_mean(y_true * tf.math.log(probabilities) + (1.0 - y_true) * tf.math.log(1.0 - probabilities))
    hits = tf.cast(tf.equal(y_true, tf.round(probabilities)), tf.float32)
    accuracy = tf.reduce_mean(hits)

print("loss:", round(float(loss), 3))
print("accuracy:", round(float(accuracy), 3))
print("d loss / d logits:", np.round(tape.gradient(loss, logits).numpy(), 3))
print("d accuracy / d logits:", tape.gradient(accuracy, logits))  # (1)!
# --8<-- [end:gradients]

# --8<-- [start:huber]
def huber(y_true, y_pred):
    error = y_true - y_pred
    is_small = keras.ops.abs(error) <= 1.0
    squared = 0.5 * keras.ops.square(error)
    linear = keras.ops.abs(error) - 0.5
    return keras.ops.mean(keras.ops.where(is_small, squared, linear), axis=-1)  # (1)!
# --8<-- [end:huber]

# --8<-- [start:model]
x = np.linspace(0.0, 1.0, 8, dtype="float32").reshape(-1, 1)
y = 3.0 * x

model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1, kernel_initializer="ones")])
model.compile(
    optimizer="sgd",
    loss=huber,  # (1)!
    metrics=[huber],  # (2)!
    weighted_metrics=[huber],  # (3)!
)
report = model.evaluate(x, y, verbose=0, return_dict=True)
print({name: round(value, 4) for name, value in report.items()})
# --8<-- [end:model]

# --8<-- [start:sample_weight]
weights = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0], dtype="float32")
report = model.evaluate(x, y, sample_weight=weights, verbose=0, return_dict=True)
print({name: round(value, 4) for name, value in report.items()})

per_example = keras.ops.convert_to_numpy(huber(y, model.predict(x, verbose=0)))
print("sum(w * l) / n       =", round(float((weights * per_example).sum() / len(weights)), 4))
print("sum(w * l) / sum(w)  =", round(float((weights * per_example).sum() / weights.sum()), 4))
# --8<-- [end:sample_weight]

# --8<-- [start:precision_batches]
precision = keras.metrics.Precision()

precision.update_state([1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 0])  # 4 true positives, 1 false positive
first = float(precision.result())
batch_values = [first]
print("after batch 1:", round(first, 3))

precision.update_state([0, 0, 0, 1], [1, 1, 1, 0])  # 0 true positives, 3 false positives
print("after batch 2:", round(float(precision.result()), 3))

batch_two_alone = keras.metrics.Precision()
batch_two_alone.update_state([0, 0, 0, 1], [1, 1, 1, 0])
batch_values.append(float(batch_two_alone.result()))
print("mean of the batch values:", round(sum(batch_values) / len(batch_values), 3))
# --8<-- [end:precision_batches]

# --8<-- [start:precision_state]
for variable in precision.variables:
    print(variable.name, keras.ops.convert_to_numpy(variable))
# --8<-- [end:precision_state]

try:
    # --8<-- [start:reset_states]
    precision.reset_states()
    # --8<-- [end:reset_states]
except AttributeError as error:  # the page shows this error; the script keeps going
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:precision_reset]
precision.reset_state()
print("after reset_state():", float(precision.result()))
print([float(keras.ops.convert_to_numpy(v)[0]) for v in precision.variables])
# --8<-- [end:precision_reset]
