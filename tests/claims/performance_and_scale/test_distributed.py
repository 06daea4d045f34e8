"""Claim checks for docs/<lang>/performance-and-scale/distributed.md.

The pytest process has one CPU device, already initialized by other tests, so these checks use
the default strategy or a one-device MirroredStrategy; the two-replica numbers are shown on the
page."""

import inspect

import numpy as np
import pytest
import tensorflow as tf
import keras


def small_model():
    keras.utils.set_random_seed(0)
    return keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])


@pytest.mark.claim("logical-devices-before-initialization")
def test_logical_devices_cannot_change_after_initialization():
    tf.config.list_logical_devices("CPU")  # initializes the devices
    cpu = tf.config.list_physical_devices("CPU")[0]
    with pytest.raises(RuntimeError, match="Virtual devices cannot be modified after being initialized"):
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()])


@pytest.mark.claim("metric-add-variable-default-sum")
def test_metric_add_variable_defaults_to_sum_on_read():
    default = inspect.signature(keras.metrics.Metric.add_variable).parameters["aggregation"].default
    assert default == "sum"

    class Counter(keras.metrics.Metric):
        def __init__(self):
            super().__init__()
            self.n = self.add_variable(shape=(), initializer="zeros")

    variable = Counter().n
    assert variable.aggregation == "sum" and variable.synchronization == "on_read"


@pytest.mark.claim("scope-creates-mirrored-variables")
def test_variables_created_in_scope_are_mirrored():
    strategy = tf.distribute.MirroredStrategy(["/cpu:0"])
    with strategy.scope():
        model = small_model()
    assert type(model.layers[0].kernel.value).__name__ == "MirroredVariable"
    assert type(small_model().layers[0].kernel.value).__name__ == "ResourceVariable"


@pytest.mark.claim("variable-aggregation-values")
def test_variable_aggregation_values():
    for value in ("none", "mean", "sum", "only_first_replica"):
        assert keras.Variable(1.0, aggregation=value).aggregation == value
    with pytest.raises(ValueError, match="Invalid value for argument `aggregation`"):
        keras.Variable(1.0, aggregation="max")


@pytest.mark.claim("add-variable-aggregation-is-string")
def test_add_variable_refuses_tf_variable_aggregation():
    class Counter(keras.metrics.Metric):
        def __init__(self):
            super().__init__()
            self.n = self.add_variable(shape=(), initializer="zeros",
                                       aggregation=tf.VariableAggregation.SUM)

    with pytest.raises(ValueError, match="Invalid value for argument `aggregation`"):
        Counter()


@pytest.mark.claim("builtin-train-step-unscales-loss")
def test_builtin_train_step_unscales_the_tracked_loss():
    from keras.src.backend.tensorflow.trainer import TensorFlowTrainer

    source = inspect.getsource(TensorFlowTrainer.train_step)
    assert "self._loss_tracker.update_state(\n                loss_module.unscale_loss_for_distribution(loss)" in source


@pytest.mark.claim("compute-average-loss-divides-by-global-batch")
def test_compute_average_loss_divides_the_sum_by_the_global_batch():
    per_example = tf.constant([1.0, 2.0, 3.0, 4.0])
    assert float(tf.nn.compute_average_loss(per_example, global_batch_size=8)) == pytest.approx(1.25)
    assert float(tf.nn.scale_regularization_loss(tf.constant(3.0))) == pytest.approx(3.0)  # one replica


@pytest.mark.claim("keras-distribution-ignored-by-tf-fit")
def test_keras_distribution_is_ignored_by_fit_on_tensorflow():
    assert keras.backend.backend() == "tensorflow"
    assert keras.distribution.list_devices("cpu")
    keras.distribution.set_distribution(keras.distribution.DataParallel())
    try:
        model = small_model()
        model.compile(optimizer="sgd", loss="mse")
        model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
        assert model.distribute_strategy.num_replicas_in_sync == 1
        assert type(model.distribute_strategy).__name__ == "_DefaultDistributionStrategy"
        assert type(model.layers[0].kernel.value).__name__ == "ResourceVariable"
    finally:
        keras.distribution.set_distribution(None)


@pytest.mark.claim("tf-distribution-lib-is-prototype")
def test_tensorflow_distribution_lib_is_a_prototype():
    from keras.src.backend.tensorflow import distribution_lib

    assert distribution_lib.__doc__.startswith("!!!DO NOT USE!!!")
    assert "prototype" in distribution_lib.__doc__


@pytest.mark.claim("mirrored-model-saves-and-loads")
def test_a_model_built_in_a_scope_saves_and_loads(tmp_path):
    strategy = tf.distribute.MirroredStrategy(["/cpu:0"])
    with strategy.scope():
        model = small_model()
        model.compile(optimizer="sgd", loss="mse")
    model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
    model.save(tmp_path / "m.keras")
    plain = keras.models.load_model(tmp_path / "m.keras")
    assert type(plain.layers[0].kernel.value).__name__ == "ResourceVariable"
    with strategy.scope():
        mirrored = keras.models.load_model(tmp_path / "m.keras")
    assert type(mirrored.layers[0].kernel.value).__name__ == "MirroredVariable"
    x = np.ones((2, 3), "float32")
    np.testing.assert_allclose(plain(x), model(x))
    np.testing.assert_allclose(mirrored(x), model(x))


@pytest.mark.claim("tf-keras-loss-reduction-error-under-strategy")
def test_tf_keras_refused_auto_reduction_inside_a_replica():
    import tf_keras

    strategy = tf.distribute.MirroredStrategy(["/cpu:0"])
    loss = tf_keras.losses.MeanSquaredError()

    def replica():
        return loss(tf.ones((2, 1)), tf.zeros((2, 1)))

    with pytest.raises(ValueError, match="Please use `tf.keras.losses.Reduction.SUM` or "
                                         "`tf.keras.losses.Reduction.NONE`"):
        strategy.run(tf.function(replica))
