"""Gradients with TensorFlow: tf.GradientTape, stop_gradient and tf.custom_gradient.

Run it as a script: python snippets/training/gradients.py
"""

# --8<-- [start:imports]
import numpy as np
import tensorflow as tf
import keras
# --8<-- [end:imports]

# --8<-- [start:variables]
w = tf.Variable(3.0)
b = tf.Variable(-1.0)
x = 2.0

with tf.GradientTape() as tape:  # (1)!
    y = w * w * x + b

dy_dw, dy_db = tape.gradient(y, [w, b])  # (2)!
print("y =", float(y))
print("dy/dw =", float(dy_dw), " dy/db =", float(dy_db))
# --8<-- [end:variables]

# --8<-- [start:constant]
c = tf.constant(3.0)

with tf.GradientTape() as tape:
    y = c * c
print("not watched:", tape.gradient(y, c))

with tf.GradientTape() as tape:
    tape.watch(c)  # (1)!
    y = c * c
print("watched:    ", float(tape.gradient(y, c)))
# --8<-- [end:constant]

try:
    # --8<-- [start:twice]
    with tf.GradientTape() as tape:
        y = w * w
        z = y * y
    print(float(tape.gradient(y, w)))
    print(float(tape.gradient(z, w)))
    # --8<-- [end:twice]
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:persistent]
with tf.GradientTape(persistent=True) as tape:
    y = w * w
    z = y * y
print("dy/dw =", float(tape.gradient(y, w)))
print("dz/dw =", float(tape.gradient(z, w)))
del tape  # (1)!
# --8<-- [end:persistent]

# --8<-- [start:targets]
with tf.GradientTape(persistent=True) as tape:
    y1 = 2.0 * w
    y2 = w * w
    both = tf.stack([y1, y2])

print("list of targets:", float(tape.gradient([y1, y2], w)))  # (1)!
print("vector target:  ", float(tape.gradient(both, w)))
print("one at a time:  ", [float(tape.gradient(t, w)) for t in (y1, y2)])
print("jacobian:       ", tape.jacobian(both, w).numpy())  # (2)!
del tape
# --8<-- [end:targets]

# --8<-- [start:unconnected]
unused = tf.Variable(5.0)

with tf.GradientTape(persistent=True) as tape:
    y = w * w
    detached = tf.constant(w.numpy() ** 2)  # (1)!

dy_dw, dy_dunused = tape.gradient(y, [w, unused])
print("dy/dw:", float(dy_dw), " dy/dunused:", dy_dunused)
print("through NumPy:", tape.gradient(detached, w))
zero = tape.gradient(y, unused, unconnected_gradients=tf.UnconnectedGradients.ZERO)  # (2)!
print("with ZERO:", float(zero))
del tape
# --8<-- [end:unconnected]

# --8<-- [start:keras_model]
keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2), keras.layers.Dense(1)])
optimizer = keras.optimizers.SGD(learning_rate=0.1)
features = np.random.normal(size=(8, 3)).astype("float32")
targets = features.sum(axis=1, keepdims=True)

with tf.GradientTape() as tape:
    predictions = model(features, training=True)
    loss = keras.ops.mean(keras.losses.mean_squared_error(targets, predictions))

gradients = tape.gradient(loss, model.trainable_variables)  # (1)!
print([tuple(g.shape) for g in gradients])
optimizer.apply_gradients(zip(gradients, model.trainable_variables))  # (2)!
new_loss = keras.ops.mean(keras.losses.mean_squared_error(targets, model(features)))
print("loss before:", round(float(loss), 4), " after one step:", round(float(new_loss), 4))
# --8<-- [end:keras_model]

# --8<-- [start:stop_gradient_tf]
w = tf.Variable(2.0)

with tf.GradientTape(persistent=True) as tape:
    prediction = 3.0 * w
    target = w * w  # depends on w too
    loss = (prediction - target) ** 2
    loss_fixed_target = (prediction - tf.stop_gradient(target)) ** 2  # (1)!

print("through the target:", float(tape.gradient(loss, w)))
print("target held fixed: ", float(tape.gradient(loss_fixed_target, w)))
del tape
# --8<-- [end:stop_gradient_tf]

# --8<-- [start:stop_gradient_ops]
w = tf.Variable(2.0)

with tf.GradientTape(persistent=True) as tape:
    prediction = 3.0 * w
    target = w * w  # depends on w too
    loss = (prediction - target) ** 2
    loss_fixed_target = (prediction - keras.ops.stop_gradient(target)) ** 2

print("through the target:", float(tape.gradient(loss, w)))
print("target held fixed: ", float(tape.gradient(loss_fixed_target, w)))
del tape
# --8<-- [end:stop_gradient_ops]

# --8<-- [start:naive_softplus]
def naive_softplus(x):
    return tf.math.log(1.0 + tf.exp(x))


points = tf.constant([-5.0, 0.0, 5.0, 100.0])
with tf.GradientTape() as tape:
    tape.watch(points)
    values = naive_softplus(points)
print("values:   ", [round(float(v), 4) for v in values])
print("gradients:", [round(float(g), 4) for g in tape.gradient(values, points)])  # (1)!
# --8<-- [end:naive_softplus]


# --8<-- [start:custom_gradient]
@tf.custom_gradient
def stable_softplus(x):
    value = tf.maximum(x, 0.0) + tf.math.log1p(tf.exp(-tf.abs(x)))  # (1)!

    def grad(upstream):  # (2)!
        return upstream * tf.sigmoid(x)

    return value, grad


with tf.GradientTape() as tape:
    tape.watch(points)
    values = stable_softplus(points)
print("values:   ", [round(float(v), 4) for v in values])
print("gradients:", [round(float(g), 4) for g in tape.gradient(values, points)])

weights = tf.constant([1.0, 2.0, -1.0, 0.5])
with tf.GradientTape() as tape:
    tape.watch(points)
    total = tf.reduce_sum(weights * stable_softplus(points))  # (3)!
print("weighted: ", [round(float(g), 4) for g in tape.gradient(total, points)])
# --8<-- [end:custom_gradient]

# --8<-- [start:compare_builtin]
with tf.GradientTape() as tape:
    tape.watch(points)
    reference = tf.nn.softplus(points)
print(np.allclose(values, reference), np.allclose(tape.gradient(reference, points), tf.sigmoid(points)))
# --8<-- [end:compare_builtin]

# --8<-- [start:custom_gradient_ops]
@keras.ops.custom_gradient
def ops_softplus(x):
    value = keras.ops.maximum(x, 0.0) + keras.ops.log1p(keras.ops.exp(-keras.ops.abs(x)))

    def grad(*args, upstream=None):
        if upstream is None:
            (upstream,) = args
        return upstream * keras.ops.sigmoid(x)

    return value, grad


with tf.GradientTape() as tape:
    tape.watch(points)
    values = ops_softplus(points)
    total = keras.ops.sum(weights * values)
print("values:   ", [round(float(v), 4) for v in values])
print("weighted: ", [round(float(g), 4) for g in tape.gradient(total, points)])
# --8<-- [end:custom_gradient_ops]

# --8<-- [start:in_a_layer]
layer = keras.layers.Dense(1, kernel_initializer="ones")  # (1)!
inputs = tf.constant([[40.0, 60.0]])

for activation in (naive_softplus, stable_softplus):
    with tf.GradientTape() as tape:
        outputs = activation(layer(inputs))
    kernel_gradient = tape.gradient(outputs, layer.kernel)
    print(activation.__name__, kernel_gradient.numpy().ravel())
# --8<-- [end:in_a_layer]
