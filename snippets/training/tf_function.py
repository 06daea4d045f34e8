"""tf.function: tracing, retracing, AutoGraph and the classic mistakes.

Run it as a script: python snippets/training/tf_function.py
"""

# --8<-- [start:imports]
import re
import sys

import numpy as np
import tensorflow as tf
import keras
# --8<-- [end:imports]

# --8<-- [start:tracing]
calls = tf.Variable(0)


@tf.function
def double(x):
    print("tracing double:", x.shape, x.dtype.name)  # (1)!
    calls.assign_add(1)  # (2)!
    return x * 2


for value in [1.0, 2.0, 3.0]:
    print("result:", float(double(tf.constant(value))))
print("graph runs:", int(calls.numpy()))
print("traces:", double.experimental_get_tracing_count())
# --8<-- [end:tracing]

# --8<-- [start:tf_print]
@tf.function
def announce(x):
    tf.print("called with", x, output_stream=sys.stdout)  # (1)!
    return x


for value in [1, 2, 3]:
    announce(tf.constant(value))
# --8<-- [end:tf_print]

# --8<-- [start:retrace_python]
@tf.function
def scale(x, factor):
    print("tracing scale")
    return x * factor


x = tf.constant([1.0, 2.0])
for factor in [2.0, 3.0, 2.0]:  # (1)!
    scale(x, factor)
print("traces:", scale.experimental_get_tracing_count())
# --8<-- [end:retrace_python]

# --8<-- [start:retrace_tensor]
for factor in [2.0, 3.0, 4.0]:
    scale(x, tf.constant(factor))  # (1)!
print("traces:", scale.experimental_get_tracing_count())
# --8<-- [end:retrace_tensor]

# --8<-- [start:retrace_shapes]
@tf.function
def total(values):
    print("tracing total for", values.shape, values.dtype.name)
    return tf.reduce_sum(values)


total(tf.constant([1.0, 2.0]))
total(tf.constant([1.0, 2.0, 3.0]))  # (1)!
total(tf.constant([1, 2, 3]))  # (2)!
total(tf.constant([4.0, 5.0]))  # (3)!
print("traces:", total.experimental_get_tracing_count())
# --8<-- [end:retrace_shapes]

# --8<-- [start:input_signature]
@tf.function(input_signature=[tf.TensorSpec(shape=[None], dtype=tf.float32)])  # (1)!
def total_float(values):
    print("tracing total_float for", values.shape)
    return tf.reduce_sum(values)


for length in [2, 3, 5]:
    total_float(tf.ones([length]))
print("sum of a Python list:", float(total_float([1.0, 2.0, 3.0])))  # (2)!
print("traces:", total_float.experimental_get_tracing_count())
# --8<-- [end:input_signature]

try:
    # --8<-- [start:input_signature_error]
    total_float(tf.constant([1, 2]))
    # --8<-- [end:input_signature_error]
except TypeError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:reduce_retracing]
@tf.function(reduce_retracing=True)
def total_relaxed(values):
    print("tracing total_relaxed for", values.shape)
    return tf.reduce_sum(values)


for length in [2, 3, 4, 5]:
    total_relaxed(tf.ones([length]))
print("traces:", total_relaxed.experimental_get_tracing_count())
# --8<-- [end:reduce_retracing]

# --8<-- [start:autograph]
@tf.function
def collatz_steps(n):
    steps = tf.constant(0)
    while n != 1:  # (1)!
        if n % 2 == 0:  # (2)!
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


for n in [1, 6, 7, 27]:
    print(n, "->", int(collatz_steps(tf.constant(n))), "steps")
print("traces:", collatz_steps.experimental_get_tracing_count())
# --8<-- [end:autograph]

# --8<-- [start:to_code]
generated = tf.autograph.to_code(collatz_steps.python_function)
print(re.findall(r"ag__\.\w+_stmt", generated))
# --8<-- [end:to_code]

# --8<-- [start:python_condition]
@tf.function
def activate(x, use_relu):
    print("tracing activate with use_relu =", use_relu)
    if use_relu:  # (1)!
        return tf.nn.relu(x)
    return x


x = tf.constant([-1.0, 2.0])
print(activate(x, True).numpy(), activate(x, False).numpy(), activate(x, True).numpy())
print("traces:", activate.experimental_get_tracing_count())
# --8<-- [end:python_condition]

try:
    # --8<-- [start:variable_inside]
    @tf.function
    def add_bias(x):
        bias = tf.Variable(1.0)
        return x + bias


    add_bias(tf.constant(2.0))
    # --8<-- [end:variable_inside]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:variable_outside]
bias = tf.Variable(1.0)


@tf.function
def add_bias(x):
    return x + bias


print(float(add_bias(tf.constant(2.0))))
bias.assign(5.0)
print(float(add_bias(tf.constant(2.0))))  # (1)!
# --8<-- [end:variable_outside]

# --8<-- [start:side_effects]
seen = []


@tf.function
def record(x):
    seen.append(x)  # (1)!
    return x + np.random.uniform()  # (2)!


keras.utils.set_random_seed(1)
first = float(record(tf.constant(0.0)))
second = float(record(tf.constant(0.0)))
print("items appended:", len(seen))
print("same 'random' number twice:", first == second)
# --8<-- [end:side_effects]

# --8<-- [start:side_effects_fix]
generator = tf.random.Generator.from_seed(1)  # (1)!


@tf.function
def noisy(x):
    return x + generator.uniform([])


first = float(noisy(tf.constant(0.0)))
second = float(noisy(tf.constant(0.0)))
print("same random number twice:", first == second)
# --8<-- [end:side_effects_fix]

try:
    # --8<-- [start:no_autograph]
    @tf.function(autograph=False)  # (1)!
    def absolute(x):
        if x > 0:
            return x
        return -x


    absolute(tf.constant(-3.0))
    # --8<-- [end:no_autograph]
except tf.errors.OperatorNotAllowedInGraphError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:run_eagerly]
tf.config.run_functions_eagerly(True)  # (1)!
double(tf.constant(4.0))
double(tf.constant(5.0))
tf.config.run_functions_eagerly(False)
print("traces:", double.experimental_get_tracing_count())
# --8<-- [end:run_eagerly]
