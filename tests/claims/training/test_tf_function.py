"""Claim checks for docs/<lang>/training/tf-function.md."""

import contextlib
import io

import numpy as np
import pytest
import tensorflow as tf


@pytest.mark.claim("tracing-runs-python-once", "tracing-count-counts-graphs")
def test_python_runs_at_trace_and_operations_on_every_call():
    python_runs = []
    graph_runs = tf.Variable(0)

    @tf.function
    def double(x):
        python_runs.append(1)
        graph_runs.assign_add(1)
        return 2.0 * x

    assert double.experimental_get_tracing_count() == 0
    results = [float(double(tf.constant(v))) for v in (1.0, 2.0, 3.0)]
    assert results == [2.0, 4.0, 6.0]
    assert len(python_runs) == 1 and int(graph_runs) == 3
    assert double.experimental_get_tracing_count() == 1


@pytest.mark.claim("traced-tensor-is-symbolic")
def test_traced_tensor_has_shape_and_dtype_but_no_value():
    seen = {}

    @tf.function
    def probe(x):
        seen["shape"], seen["dtype"] = x.shape, x.dtype
        with pytest.raises((AttributeError, NotImplementedError, TypeError)):
            x.numpy()
        return x

    probe(tf.constant([1.0, 2.0]))
    assert seen == {"shape": tf.TensorShape([2]), "dtype": tf.float32}


@pytest.mark.claim("tf-print-runs-every-call", "tf-print-writes-below-python")
def test_tf_print_runs_every_call_on_the_stderr_file_descriptor(capfd):
    @tf.function
    def show(x):
        tf.print("called with", x)
        return x

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        for v in (1, 2, 3):
            show(tf.constant(v))
    captured = capfd.readouterr()
    assert buffer.getvalue() == ""  # Python-level redirection sees nothing
    assert captured.err.splitlines() == ["called with 1", "called with 2", "called with 3"]
    assert "called with" not in captured.out


@pytest.mark.claim("signature-tensors-by-shape-python-by-value", "python-values-retrace-by-value")
def test_python_values_are_part_of_the_signature_by_value():
    @tf.function
    def scale(x, factor):
        return x * factor

    x = tf.constant(1.0)
    for factor in (2.0, 3.0, 2.0):
        scale(x, factor)
    assert scale.experimental_get_tracing_count() == 2
    for factor in (0.5, 1.5, 2.5):
        scale(x, tf.constant(factor))
    assert scale.experimental_get_tracing_count() == 3


@pytest.mark.claim("tensors-retrace-by-shape-and-dtype")
def test_tensors_are_part_of_the_signature_by_shape_and_dtype():
    @tf.function
    def total(x):
        return tf.reduce_sum(x)

    total(tf.constant([1.0, 2.0]))
    total(tf.constant([5.0, 6.0]))          # same shape, new values: no trace
    assert total.experimental_get_tracing_count() == 1
    total(tf.constant([1.0, 2.0, 3.0]))     # new shape
    total(tf.constant([1, 2, 3]))           # new dtype
    total(tf.constant([7.0, 8.0]))          # first signature again
    assert total.experimental_get_tracing_count() == 3


@pytest.mark.claim("input-signature-traces-once", "input-signature-converts-arguments")
def test_input_signature_traces_once_and_converts_arguments():
    @tf.function(input_signature=[tf.TensorSpec(shape=[None], dtype=tf.float32)])
    def total(x):
        return tf.reduce_sum(x)

    assert float(total([1, 2, 3])) == 6.0
    total(tf.zeros(5))
    total(np.ones(7, "float32"))
    assert total.experimental_get_tracing_count() == 1


@pytest.mark.claim("relax-shapes-deprecated-alias")
def test_experimental_relax_shapes_still_works_with_a_deprecation_notice():
    relaxed = tf.function(lambda x: tf.reduce_sum(x), experimental_relax_shapes=True)
    for n in (2, 3, 4, 5):
        relaxed(tf.zeros(n))
    assert relaxed.experimental_get_tracing_count() == 2
    # TensorFlow logs the notice once per process; the deprecation decorator also writes it
    # into the docstring, which does not depend on what ran before.
    assert ("SOME ARGUMENTS ARE DEPRECATED: `(experimental_relax_shapes)`" in tf.function.__doc__)
    assert "experimental_relax_shapes is deprecated, use reduce_retracing instead" in tf.function.__doc__


@pytest.mark.claim("autograph-converts-tensor-control-flow")
def test_autograph_turns_tensor_loops_into_graph_loops():
    @tf.function
    def collatz_steps(n):
        steps = tf.constant(0)
        while n != 1:
            if n % 2 == 0:
                n = n // 2
            else:
                n = 3 * n + 1
            steps += 1
        return steps

    assert [int(collatz_steps(tf.constant(v))) for v in (1, 6, 27)] == [0, 8, 111]
    assert collatz_steps.experimental_get_tracing_count() == 1
    graph = collatz_steps.get_concrete_function(tf.TensorSpec([], tf.int32)).graph
    assert any(op.type in ("While", "StatelessWhile") for op in graph.get_operations())


@pytest.mark.claim("autograph-traces-both-branches")
def test_both_branches_of_a_tensor_if_are_traced():
    traced = []

    @tf.function
    def pick(x):
        if x > 0:
            traced.append("then")
            y = x
        else:
            traced.append("else")
            y = -x
        return y

    assert float(pick(tf.constant(2.0))) == 2.0
    assert float(pick(tf.constant(-3.0))) == 3.0
    assert sorted(traced) == ["else", "then"]


@pytest.mark.claim("autograph-needs-source")
def test_function_without_source_cannot_branch_on_a_tensor():
    namespace = {}
    exec("def sign(x):\n    if x > 0:\n        return x\n    return -x\n", namespace)
    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError,
                       match="symbolic `tf.Tensor` as a Python `bool` is not allowed"):
        tf.function(namespace["sign"])(tf.constant(1.0))


@pytest.mark.claim("python-condition-traced-per-value")
def test_python_condition_gives_one_graph_per_value():
    traced = []

    @tf.function
    def activate(x, use_relu):
        traced.append(use_relu)
        if use_relu:
            return tf.nn.relu(x)
        return x

    x = tf.constant([-1.0, 2.0])
    np.testing.assert_array_equal(activate(x, True).numpy(), [0.0, 2.0])
    np.testing.assert_array_equal(activate(x, False).numpy(), [-1.0, 2.0])
    activate(x, True)
    assert traced == [True, False]
    graph = activate.get_concrete_function(x, False).graph
    assert not any(op.type == "Relu" for op in graph.get_operations())


@pytest.mark.claim("graph-reads-variable-each-call")
def test_graph_reads_the_variable_on_each_call():
    bias = tf.Variable(1.0)

    @tf.function
    def add_bias(x):
        return x + bias

    assert float(add_bias(tf.constant(2.0))) == 3.0
    bias.assign(5.0)
    assert float(add_bias(tf.constant(2.0))) == 7.0
    assert add_bias.experimental_get_tracing_count() == 1


@pytest.mark.claim("python-side-effects-at-trace-only")
def test_python_side_effects_happen_at_trace_time_only():
    items = []
    rng = np.random.default_rng(0)

    @tf.function
    def noisy(x):
        items.append(x)
        return x + rng.normal()

    a, b = float(noisy(tf.constant(0.0))), float(noisy(tf.constant(0.0)))
    assert len(items) == 1 and isinstance(items[0], tf.Tensor)
    assert a == b


@pytest.mark.claim("random-generator-advances-in-graph")
def test_random_generator_advances_on_every_call():
    generator = tf.random.Generator.from_seed(0)

    @tf.function
    def noisy(x):
        return x + generator.normal([])

    assert float(noisy(tf.constant(0.0))) != float(noisy(tf.constant(0.0)))
    assert noisy.experimental_get_tracing_count() == 1


@pytest.mark.claim("no-autograph-tensor-bool-raises")
def test_without_autograph_a_tensor_if_raises():
    def sign(x):
        if x > 0:
            return x
        return -x

    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError,
                       match="symbolic `tf.Tensor` as a Python `bool` is not allowed"):
        tf.function(sign, autograph=False)(tf.constant(1.0))
    assert float(tf.function(sign)(tf.constant(-1.0))) == 1.0


@pytest.mark.claim("run-functions-eagerly-traces-nothing")
def test_run_functions_eagerly_traces_no_new_graph():
    @tf.function
    def double(x):
        return 2.0 * x

    double(tf.constant(1.0))
    tf.config.run_functions_eagerly(True)
    try:
        double(tf.constant(1.0))
        double(tf.constant([1.0, 2.0]))  # a new shape would retrace in graph mode
    finally:
        tf.config.run_functions_eagerly(False)
    assert double.experimental_get_tracing_count() == 1
