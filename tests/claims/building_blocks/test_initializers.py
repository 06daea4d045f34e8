"""Claim checks for docs/<lang>/building-blocks/initializers.md."""

import random
import warnings

import numpy as np
import keras
import pytest
import tensorflow as tf


class Counting:
    """An initializer function that records every call."""

    def __init__(self):
        self.calls = []

    def __call__(self, shape, dtype=None):
        self.calls.append((shape, dtype))
        return keras.ops.zeros(shape, dtype=dtype)


@keras.saving.register_keras_serializable(package="claims_initializers")
class Scaled(keras.initializers.Initializer):
    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        self.seed = seed

    def __call__(self, shape, dtype=None):
        return keras.random.normal(shape, stddev=self.gain, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed}


@pytest.mark.claim("initializer-not-consulted-after-build")
def test_initializer_runs_once_per_weight_and_never_during_training():
    keras.utils.set_random_seed(0)
    counting = Counting()
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, kernel_initializer=counting)])
    assert len(counting.calls) == 1
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.ones((4, 3), "float32"), np.ones((4, 2), "float32"), batch_size=2, verbose=0)
    assert len(counting.calls) == 1
    assert not np.allclose(keras.ops.convert_to_numpy(model.layers[0].kernel), 0.0)


@pytest.mark.claim("initializer-receives-tuple-and-dtype-string")
def test_initializer_receives_a_shape_tuple_and_a_dtype_string():
    counting = Counting()
    keras.layers.Dense(4, kernel_initializer=counting).build((None, 8))
    shape, dtype = counting.calls[0]
    assert type(shape) is tuple and shape == (8, 4)
    assert type(dtype) is str and dtype == "float32"


@pytest.mark.claim("keras-random-seeded-by-set-random-seed")
def test_keras_random_follows_set_random_seed():
    keras.utils.set_random_seed(5)
    first = keras.ops.convert_to_numpy(keras.random.normal((4,)))
    keras.utils.set_random_seed(5)
    second = keras.ops.convert_to_numpy(keras.random.normal((4,)))
    third = keras.ops.convert_to_numpy(keras.random.normal((4,)))
    assert np.array_equal(first, second)
    assert not np.allclose(second, third)


@pytest.mark.claim("building-triggers-initializer")
def test_creating_does_not_call_but_calling_or_a_model_does():
    counting = Counting()
    layer = keras.layers.Dense(2, kernel_initializer=counting)
    assert counting.calls == []
    layer(np.ones((1, 3), "float32"))
    assert len(counting.calls) == 1
    counting = Counting()
    keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, kernel_initializer=counting)])
    assert len(counting.calls) == 1


@pytest.mark.claim("initializer-from-config-calls-constructor")
def test_default_from_config_passes_the_config_to_the_constructor():
    restored = Scaled.from_config({"gain": 0.5, "seed": 7})
    assert isinstance(restored, Scaled)
    assert (restored.gain, restored.seed) == (0.5, 7)


@pytest.mark.claim("unseeded-custom-differs-int-seed-repeats")
def test_custom_initializer_seed_none_draws_new_values_int_seed_repeats():
    keras.utils.set_random_seed(0)
    unseeded = Scaled()
    assert not np.allclose(unseeded((3, 3)), unseeded((3, 3)))
    seeded = Scaled(seed=7)
    assert np.array_equal(seeded((3, 3)), seeded((3, 3)))


@pytest.mark.claim("builtin-unseeded-initializer-repeats")
def test_builtin_initializer_repeats_even_without_a_seed():
    keras.utils.set_random_seed(0)
    for initializer in (keras.initializers.GlorotNormal(), keras.initializers.GlorotNormal(seed=3)):
        assert np.array_equal(initializer((3, 3)), initializer((3, 3)))
    # Two separate unseeded instances still differ: each picks its own seed when created.
    assert not np.allclose(keras.initializers.GlorotNormal()((3, 3)), keras.initializers.GlorotNormal()((3, 3)))


@pytest.mark.claim("glorot-normal-truncated-and-widened")
def test_glorot_normal_is_truncated_near_2_3_sigma_with_the_glorot_std():
    kernel = keras.ops.convert_to_numpy(keras.initializers.GlorotNormal(seed=0)((400, 200)))
    sigma = (2.0 / 600) ** 0.5
    assert abs(kernel.std() / sigma - 1.0) < 0.01
    assert 2.2 < np.abs(kernel).max() / sigma <= 2.28
    assert abs(np.abs(kernel).max() / sigma - 2.0 / 0.87962566103423978) < 0.01


@pytest.mark.claim("loaded-weights-come-from-file", "registered-initializer-round-trip")
def test_loaded_weights_do_not_depend_on_the_initializer(tmp_path):
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, kernel_initializer=Scaled(gain=2.0))])
    saved = keras.ops.convert_to_numpy(model.layers[0].kernel)
    model.save(tmp_path / "m.keras")
    keras.utils.set_random_seed(99)
    restored = keras.models.load_model(tmp_path / "m.keras")
    assert np.array_equal(keras.ops.convert_to_numpy(restored.layers[0].kernel), saved)
    assert type(restored.layers[0].kernel_initializer) is Scaled
    assert restored.layers[0].kernel_initializer.get_config() == {"gain": 2.0, "seed": None}
    fresh = keras.models.clone_model(restored)
    assert not np.allclose(keras.ops.convert_to_numpy(fresh.layers[0].kernel), saved)


@pytest.mark.claim("clone-model-uses-initializer-config")
def test_clone_model_initializes_from_the_saved_config():
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, kernel_initializer=Scaled(gain=0.5, seed=7))])
    clone = keras.models.clone_model(model)
    assert clone.layers[0].kernel_initializer.get_config() == {"gain": 0.5, "seed": 7}
    expected = keras.ops.convert_to_numpy(Scaled(gain=0.5, seed=7)((3, 2)))
    assert np.allclose(keras.ops.convert_to_numpy(clone.layers[0].kernel), expected)


def glorot_function(shape, dtype=None):
    return keras.random.normal(shape, dtype=dtype)


@pytest.mark.claim("function-initializer-saved-by-name")
def test_function_initializer_is_saved_by_name_and_needs_custom_objects(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, kernel_initializer=glorot_function)])
    stored = model.layers[0].get_config()["kernel_initializer"]
    assert stored["config"] == "glorot_function"
    assert "__lambda__" not in str(stored)
    model.save(tmp_path / "f.keras")
    with pytest.raises(TypeError, match="Could not interpret initializer identifier: .*'glorot_function'"):
        keras.models.load_model(tmp_path / "f.keras")


@pytest.mark.claim("initializer-base-get-config-empty")
def test_base_initializer_get_config_is_empty():
    class Bare(keras.initializers.Initializer):
        def __init__(self, gain=1.0):
            self.gain = gain

        def __call__(self, shape, dtype=None):
            return keras.ops.ones(shape, dtype=dtype) * self.gain

    assert Bare(gain=3.0).get_config() == {}
    assert Bare.from_config(Bare(gain=3.0).get_config()).gain == 1.0


@pytest.mark.claim("forgotten-config-reloads-defaults")
def test_forgotten_get_config_reloads_with_the_default(tmp_path):
    @keras.saving.register_keras_serializable(package="claims_initializers")
    class Forgetful(keras.initializers.Initializer):
        def __init__(self, gain=1.0):
            self.gain = gain

        def __call__(self, shape, dtype=None):
            return keras.ops.ones(shape, dtype=dtype) * self.gain

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, kernel_initializer=Forgetful(3.0))])
    model.save(tmp_path / "g.keras")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        restored = keras.models.load_model(tmp_path / "g.keras")
    assert restored.layers[0].kernel_initializer.gain == 1.0
    assert np.allclose(keras.ops.convert_to_numpy(restored.layers[0].kernel), 3.0)


@pytest.mark.claim("missing-config-without-default-fails")
def test_missing_config_without_a_default_fails_on_load(tmp_path):
    class NoDefault(keras.initializers.Initializer):
        def __init__(self, gain):
            self.gain = gain

        def __call__(self, shape, dtype=None):
            return keras.ops.ones(shape, dtype=dtype) * self.gain

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, kernel_initializer=NoDefault(3.0))])
    model.save(tmp_path / "n.keras")
    with pytest.raises(TypeError, match=r"__init__\(\) missing 1 required positional argument"):
        keras.models.load_model(tmp_path / "n.keras", custom_objects={"NoDefault": NoDefault})


def _kernel():
    layer = keras.layers.Dense(2, kernel_initializer="glorot_normal")
    layer.build((None, 3))
    return np.array(layer.kernel)


@pytest.mark.claim("tf-set-seed-no-longer-seeds-initializers")
def test_tf_random_set_seed_seeds_neither_tf_keras_2_21_nor_keras_3_initializers():
    import tf_keras

    def tf_keras_kernel():
        layer = tf_keras.layers.Dense(2, kernel_initializer="glorot_normal")
        layer.build((None, 3))
        return layer.kernel.numpy()

    tf.random.set_seed(42)
    first = tf_keras_kernel()
    tf.random.set_seed(42)
    assert not np.allclose(first, tf_keras_kernel())
    tf_keras.utils.set_random_seed(42)
    first = tf_keras_kernel()
    tf_keras.utils.set_random_seed(42)
    assert np.array_equal(first, tf_keras_kernel())
    tf.random.set_seed(42)
    first = _kernel()
    tf.random.set_seed(42)
    assert not np.allclose(first, _kernel())


@pytest.mark.claim("keras-set-random-seed-kernels-repeat")
def test_keras_set_random_seed_repeats_built_in_kernels():
    keras.utils.set_random_seed(42)
    first = _kernel()
    keras.utils.set_random_seed(42)
    assert np.array_equal(first, _kernel())
    assert not np.allclose(first, _kernel())


@pytest.mark.claim("set-random-seed-seeds-python-numpy-tf")
def test_set_random_seed_seeds_python_numpy_and_tensorflow():
    keras.utils.set_random_seed(42)
    drawn = (random.random(), np.random.rand(), float(tf.random.uniform(())))
    random.seed(42)
    np.random.seed(42)
    tf.random.set_seed(42)
    assert drawn == (random.random(), np.random.rand(), float(tf.random.uniform(())))
