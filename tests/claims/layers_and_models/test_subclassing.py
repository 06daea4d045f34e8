"""Claim checks for docs/<lang>/layers-and-models/subclassing.md."""

import warnings

import numpy as np
import keras
import pytest


class Block(keras.layers.Layer):
    def __init__(self, units, eager_build=True, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.eager_build = eager_build
        self.dense = keras.layers.Dense(units)

    def build(self, input_shape):
        if self.eager_build:
            self.dense.build(input_shape)

    def call(self, inputs):
        return self.dense(inputs)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "eager_build": self.eager_build}


class Stack(keras.Model):
    """A subclassed model that records when Keras calls its hooks."""

    log = []

    def __init__(self, blocks, **kwargs):
        super().__init__(**kwargs)
        self.blocks = list(blocks)

    def build(self, input_shape):
        Stack.log.append(("build", tuple(input_shape)))
        shape = input_shape
        for block in self.blocks:
            if not block.built:
                block.build(shape)
            shape = block.compute_output_shape(shape)

    def call(self, inputs):
        for block in self.blocks:
            inputs = block(inputs)
        return inputs

    def get_config(self):
        Stack.log.append(("get_config",))
        blocks = [keras.saving.serialize_keras_object(b) for b in self.blocks]
        return {**super().get_config(), "blocks": blocks}

    @classmethod
    def from_config(cls, config):
        Stack.log.append(("from_config", [b.get("build_config") for b in config["blocks"]]))
        config = dict(config)
        config["blocks"] = [keras.saving.deserialize_keras_object(b) for b in config["blocks"]]
        Stack.log.append(("blocks built", [b.built for b in config["blocks"]]))
        return cls(**config)


CUSTOM = {"Stack": Stack, "Block": Block}


@pytest.mark.claim("model-hooks-call-order")
def test_build_get_config_from_config_called_when_the_table_says(tmp_path):
    Stack.log = []
    keras.utils.set_random_seed(0)
    model = Stack([Block(3), Block(2)])
    assert Stack.log == [] and model.weights == []
    model(np.ones((1, 4), "float32"))  # first call builds
    assert Stack.log == [("build", (1, 4))]
    other = Stack([Block(3)])
    other.build((None, 4))  # explicit build
    assert Stack.log[-1] == ("build", (None, 4)) and len(other.weights) == 2
    Stack.log = []
    model.save(tmp_path / "s.keras")
    assert Stack.log == [("get_config",)]
    Stack.log = []
    restored = keras.models.load_model(tmp_path / "s.keras", custom_objects=CUSTOM)
    assert [entry[0] for entry in Stack.log] == ["from_config", "blocks built", "build"]
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(restored(np.ones((1, 4), "float32"))),
        keras.ops.convert_to_numpy(model(np.ones((1, 4), "float32"))), rtol=1e-6)


@pytest.mark.claim("fit-traces-call-into-graph")
def test_fit_evaluate_predict_run_call_in_a_graph():
    import tensorflow as tf
    modes = []

    class Probe(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense = keras.layers.Dense(1)

        def call(self, inputs):
            modes.append(tf.executing_eagerly())
            return self.dense(inputs)

    model = Probe()
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((8, 2), "float32"), np.zeros((8, 1), "float32")
    model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    model.evaluate(x, y, batch_size=4, verbose=0)
    model.predict(x, batch_size=4, verbose=0)
    assert modes and not any(modes)
    assert len(modes) < 2 + 2 + 2  # traced, not run once per batch


@pytest.mark.claim("attribute-sublayers-tracked", "list-of-layers-tracked")
def test_sublayers_in_attributes_and_lists_are_tracked_unbuilt():
    model = Stack([Block(3, name="b1"), Block(2, name="b2")])
    assert [layer.name for layer in model.layers] == ["b1", "b2"]
    assert model.layers[0].dense in model.layers[0]._layers
    assert model.weights == []
    model(np.ones((1, 4), "float32"))
    assert len(model.weights) == 4 and len(model.trainable_weights) == 4


@pytest.mark.claim("sublayers-built-in-build-for-loading")
def test_sublayers_left_unbuilt_by_build_lose_their_saved_values(tmp_path):
    x = np.ones((2, 4), "float32")
    results = {}
    for eager in (True, False):
        keras.utils.set_random_seed(0)
        model = Stack([Block(3, eager_build=eager)])
        model.build((None, 4))
        before = keras.ops.convert_to_numpy(model(x))
        model.save(tmp_path / f"{eager}.keras")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            restored = keras.models.load_model(tmp_path / f"{eager}.keras", custom_objects=CUSTOM)
        results[eager] = (len(restored.weights), caught,
                          np.allclose(before, keras.ops.convert_to_numpy(restored(x))))
    assert results[True][0] == 2 and results[True][2]
    assert results[False][0] == 0 and not results[False][2]  # new random weights
    assert results[False][1] == []  # and no warning says so


@pytest.mark.claim("layer-built-by-first-call")
def test_placeholder_layer_built_by_first_call():
    block = Block(2)
    assert not block.built and block.weights == []
    block(np.ones((1, 3), "float32"))
    assert block.built and len(block.weights) == 2


@pytest.mark.claim("deserialized-layer-arrives-built", "serialized-layer-holds-class-config-build-shape")
def test_serialized_layer_carries_its_build_shape_and_comes_back_built():
    block = Block(2)
    block(np.ones((5, 3), "float32"))
    data = keras.saving.serialize_keras_object(block)
    assert data["class_name"] == "Block"
    assert data["config"]["units"] == 2
    assert data["build_config"] == {"input_shape": (5, 3)}
    restored = keras.saving.deserialize_keras_object(data, custom_objects=CUSTOM)
    assert restored.built and len(restored.weights) == 2
    unbuilt = keras.saving.serialize_keras_object(Block(2))
    assert "build_config" not in unbuilt
    assert not keras.saving.deserialize_keras_object(unbuilt, custom_objects=CUSTOM).built


@pytest.mark.claim("building-twice-fails")
def test_building_a_built_dense_again_raises():
    dense = keras.layers.Dense(2)
    dense.build((None, 3))
    with pytest.raises(ValueError, match="You cannot add new elements of state"):
        dense.build((None, 3))


@pytest.mark.claim("model-default-from-config-passes-dicts")
def test_default_from_config_hands_nested_configs_to_init_as_dicts():
    received = []

    class NoFromConfig(keras.Model):
        def __init__(self, blocks, **kwargs):
            super().__init__(**kwargs)
            received.append(blocks)

        def get_config(self):
            return {**super().get_config(),
                    "blocks": [keras.saving.serialize_keras_object(Block(2))]}

    config = NoFromConfig([]).get_config()
    NoFromConfig.from_config(config)
    assert isinstance(received[-1][0], dict) and received[-1][0]["class_name"] == "Block"


@pytest.mark.claim("model-build-without-build-method-creates-nothing")
def test_model_build_with_and_without_a_build_method():
    class NoBuild(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense = keras.layers.Dense(4)

        def call(self, inputs):
            return self.dense(inputs)

    model = NoBuild()
    with pytest.warns(UserWarning, match="unbuilt state"):
        model.build((None, 3))
    assert model.built and model.count_params() == 0
    model(np.ones((1, 3), "float32"))
    assert model.count_params() == 16
    with_build = Stack([Block(4)])
    with_build.build((None, 3))
    assert with_build.count_params() == 16


@pytest.mark.claim("custom-objects-active-during-load")
def test_custom_objects_reach_deserialize_calls_inside_from_config(tmp_path):
    block_config = keras.saving.serialize_keras_object(Block(2))
    with pytest.raises(TypeError, match="Could not locate class 'Block'"):
        keras.saving.deserialize_keras_object(block_config)
    model = Stack([Block(2)])
    model.build((None, 3))
    model.save(tmp_path / "s.keras")
    restored = keras.models.load_model(tmp_path / "s.keras", custom_objects=CUSTOM)
    assert type(restored.blocks[0]) is Block


@pytest.mark.claim("registration-not-retroactive")
def test_registration_names_later_files_only(tmp_path):
    class Late(keras.layers.Layer):
        def call(self, inputs):
            return inputs

    inputs = keras.Input(shape=(2,))
    model = keras.Model(inputs, Late()(inputs))
    model.save(tmp_path / "before.keras")
    keras.saving.register_keras_serializable(package="claims_subclassing")(Late)
    assert keras.saving.get_registered_name(Late) == "claims_subclassing>Late"
    with pytest.raises(TypeError, match="Could not locate class 'Late'"):
        keras.models.load_model(tmp_path / "before.keras")
    model.save(tmp_path / "after.keras")
    assert type(keras.models.load_model(tmp_path / "after.keras").layers[-1]) is Late


@pytest.mark.claim("functional-layers-have-symbolic-output", "functional-model-saves-without-model-config")
def test_functional_model_has_layer_outputs_and_saves_without_model_code(tmp_path):
    @keras.saving.register_keras_serializable(package="claims_subclassing")
    class FunctionalBlock(Block):
        pass

    inputs = keras.Input(shape=(4,))
    outputs = FunctionalBlock(3, name="fb")(inputs)
    model = keras.Model(inputs, outputs)
    assert model.get_layer("fb").output.shape == (None, 3)
    model.save(tmp_path / "f.keras")
    restored = keras.models.load_model(tmp_path / "f.keras")
    assert isinstance(restored, keras.Model) and type(restored.get_layer("fb")) is FunctionalBlock


@pytest.mark.claim("keras2-savedmodel-saves-without-get-config")
def test_tf_keras_savedmodel_saves_a_subclassed_model_without_get_config(tmp_path):
    import tf_keras

    class WideNet(tf_keras.Model):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.hidden = tf_keras.layers.Dense(units)

        def call(self, inputs):
            return self.hidden(inputs)

    model = WideNet(3)
    x = np.ones((2, 4), "float32")
    before = model(x)
    model.save(str(tmp_path / "saved"), save_format="tf")
    restored = tf_keras.models.load_model(str(tmp_path / "saved"))
    np.testing.assert_allclose(restored(x), before, rtol=1e-6)


@pytest.mark.claim("model-does-not-record-constructor-arguments")
def test_layer_records_arguments_but_model_does_not():
    class LayerWithArg(keras.layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)

    class ModelWithArg(keras.Model):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)

    assert LayerWithArg(32).get_config()["units"] == 32
    with pytest.raises(NotImplementedError, match="must override `get_config\\(\\)`"):
        ModelWithArg(32).get_config()


@pytest.mark.claim("defaults-trap-load-fails")
def test_all_default_model_saves_defaults_and_fails_to_load(tmp_path):
    class DefaultWidth(keras.Model):
        def __init__(self, units=16, **kwargs):
            super().__init__(**kwargs)
            self.hidden = keras.layers.Dense(units)

        def call(self, inputs):
            return self.hidden(inputs)

    model = DefaultWidth(units=4)
    assert model.get_config()["units"] == 16
    model(np.ones((1, 3), "float32"))
    model.save(tmp_path / "d.keras")
    with pytest.raises(ValueError, match="could not be loaded"):
        keras.models.load_model(tmp_path / "d.keras", custom_objects={"DefaultWidth": DefaultWidth})
