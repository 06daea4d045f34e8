"""Claim checks for docs/<lang>/layers-and-models/composite-layers.md."""

import warnings

import numpy as np
import keras
import pytest

X = np.array([[0.1, 0.2, 0.3], [1.0, -1.0, 0.5]], dtype="float32")
TOKENS = np.array([[4, 2, 9, 0, 0], [7, 0, 0, 0, 0]])


@keras.saving.register_keras_serializable(package="claims_composite")
class Block(keras.layers.Layer):
    """A composite layer without build(); records the order of build and call."""

    events = []

    def __init__(self, units=2, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.inner = keras.layers.Dense(units)

    def build(self, input_shape):
        Block.events.append(("build", self.inner.built))
        # Deliberately does not build `inner`.

    def call(self, inputs):
        Block.events.append(("call", self.inner.built))
        return self.inner(inputs)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


class Recorder(keras.layers.Layer):
    """Records the mask that Keras passes to call()."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.seen = "not called"

    def call(self, inputs, mask=None):
        self.seen = mask
        return inputs


@pytest.mark.claim("sublayers-tracked-trained-saved")
def test_attribute_sublayers_are_tracked_trained_and_saved(tmp_path):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), Block(2, name="block")])
    block = model.layers[0]
    assert [id(v) for v in block.weights] == [id(v) for v in block.inner.weights]
    assert len(block.trainable_weights) == 2
    before = keras.ops.convert_to_numpy(block.inner.kernel).copy()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(X, np.ones((2, 2), "float32"), epochs=1, verbose=0)
    trained = keras.ops.convert_to_numpy(block.inner.kernel)
    assert not np.allclose(before, trained)
    model.save(tmp_path / "b.keras")
    restored = keras.models.load_model(tmp_path / "b.keras")
    assert np.array_equal(keras.ops.convert_to_numpy(restored.layers[0].inner.kernel), trained)


@pytest.mark.claim("sublayer-has-no-weights-before-call")
def test_a_sublayer_has_no_weights_until_its_first_call():
    block = Block(2)
    assert not block.inner.built and block.inner.weights == [] and block.weights == []
    block.inner(X)
    assert [tuple(w.shape) for w in block.inner.weights] == [(3, 2), (2,)]


@pytest.mark.claim("load-calls-build-before-call", "load-symbolic-call-builds-sublayers")
def test_loading_builds_first_then_calls_symbolically(tmp_path):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), Block(2)])
    model.save(tmp_path / "order.keras")
    Block.events.clear()
    restored = keras.models.load_model(tmp_path / "order.keras")
    assert Block.events == [("build", False), ("call", False)]
    assert restored.layers[0].inner.built
    assert np.allclose(model(X), restored(X))


@pytest.mark.claim("build-without-sublayers-builds-nothing")
def test_the_inherited_build_marks_built_with_no_weights():
    class Lazy(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.inner = keras.layers.Dense(2)

        def call(self, inputs):
            return self.inner(inputs)

    lazy = Lazy(name="lazy")
    with pytest.warns(UserWarning, match="does not have a `build\\(\\)` method implemented"):
        lazy.build((None, 3))
    assert lazy.built and lazy.weights == [] and not lazy.inner.built


@pytest.mark.claim("embedding-mask-zero-pads")
def test_embedding_mask_zero_marks_id_zero_as_padding():
    embedding = keras.layers.Embedding(10, 3, mask_zero=True)
    mask = keras.ops.convert_to_numpy(embedding.compute_mask(TOKENS))
    assert np.array_equal(mask, TOKENS != 0)
    plain = keras.layers.Embedding(10, 3)
    assert plain.compute_mask(TOKENS) is None


@pytest.mark.claim("mask-handed-to-layers-that-ask", "call-receives-mask")
def test_keras_passes_the_attached_mask_to_call():
    embedding = keras.layers.Embedding(10, 3, mask_zero=True)
    recorder = Recorder()
    recorder(embedding(TOKENS))
    assert np.array_equal(keras.ops.convert_to_numpy(recorder.seen), TOKENS != 0)


@pytest.mark.claim("mask-none-without-mask")
def test_mask_is_none_when_the_input_carries_none():
    recorder = Recorder()
    recorder(np.ones((1, 3, 2), "float32"))
    assert recorder.seen is None


@pytest.mark.claim("supports-masking-propagates-compute-mask")
def test_supports_masking_attaches_compute_mask_and_its_absence_stops_it():
    class Flip(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.supports_masking = True

        def call(self, inputs):
            return inputs * 1.0  # a new tensor, with no mask attached yet

        def compute_mask(self, inputs, mask=None):
            return keras.ops.logical_not(mask)

    class Plain(keras.layers.Layer):
        def call(self, inputs):
            return inputs * 1.0  # a new tensor, with no mask attached yet

    embedded = keras.layers.Embedding(10, 3, mask_zero=True)(TOKENS)
    recorder = Recorder()
    recorder(Flip()(embedded))
    assert np.array_equal(keras.ops.convert_to_numpy(recorder.seen), TOKENS == 0)
    recorder = Recorder()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        recorder(Plain()(embedded))
    assert recorder.seen is None


@pytest.mark.claim("supports-masking-set-by-compute-mask-override")
def test_overriding_compute_mask_sets_supports_masking():
    class WithMask(keras.layers.Layer):
        def compute_mask(self, inputs, mask=None):
            return mask

    class WithoutMask(keras.layers.Layer):
        pass

    assert WithMask().supports_masking is True
    assert WithoutMask().supports_masking is False


@pytest.mark.claim("masking-layer-all-features")
def test_masking_masks_a_step_only_when_every_feature_matches():
    steps = np.array([[[1.0, 2.0], [0.0, 4.0], [0.0, 0.0]]], dtype="float32")
    mask = keras.ops.convert_to_numpy(keras.layers.Masking(mask_value=0.0).compute_mask(steps))
    assert mask.tolist() == [[True, True, False]]


@pytest.mark.claim("unsupported-layer-drops-mask")
def test_a_layer_without_masking_support_drops_the_mask_with_a_warning():
    class Identity(keras.layers.Layer):
        def call(self, inputs):
            return inputs * 1.0  # a new tensor, with no mask attached yet

    embedded = keras.layers.Embedding(10, 3, mask_zero=True)(TOKENS)
    recorder = Recorder()
    with pytest.warns(UserWarning, match="does not support masking and will therefore destroy the mask"):
        passed = Identity(name="identity")(embedded)
    recorder(passed)
    assert recorder.seen is None


@pytest.mark.claim("default-compute-mask-passes-mask")
def test_supports_masking_with_the_inherited_compute_mask_passes_the_mask_on():
    class Identity(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.supports_masking = True

        def call(self, inputs):
            return inputs * 1.0  # a new tensor, with no mask attached yet

    embedded = keras.layers.Embedding(10, 3, mask_zero=True)(TOKENS)
    recorder = Recorder()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        recorder(Identity()(embedded))
    assert np.array_equal(keras.ops.convert_to_numpy(recorder.seen), TOKENS != 0)
