"""Claim checks for docs/<lang>/layers-and-models/custom-layers.md."""

import json

import numpy as np
import keras
import pytest


class Recorder(keras.layers.Layer):
    """A layer that records when Keras calls its hooks."""

    def __init__(self, units=2, log=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.record = (lambda *entry: None) if log is None else log.append  # a list would be copied

    def build(self, input_shape):
        self.record(("build", tuple(input_shape)))
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")

    def call(self, inputs, training=None):
        self.record(("call", type(inputs).__name__, training))
        return keras.ops.matmul(inputs, self.kernel)

    def get_config(self):
        self.record(("get_config",))
        return {**super().get_config(), "units": self.units}


@pytest.mark.claim("build-called-once-with-first-input-shape")
def test_build_runs_once_before_the_first_call_with_its_shape():
    log = []
    layer = Recorder(log=log)
    assert not layer.built and layer.weights == []
    layer(np.ones((2, 3), "float32"))
    layer(np.ones((5, 3), "float32"))
    assert [entry[:2] for entry in log] == [("build", (2, 3)), ("call", "EagerTensor"),
                                                   ("call", "EagerTensor")]


@pytest.mark.claim("call-runs-symbolically-and-per-batch", "training-argument-filled-by-fit-evaluate-predict")
def test_call_symbolic_then_once_per_batch_with_training_filled_in():
    log = []
    inputs = keras.Input(shape=(3,))
    model = keras.Model(inputs, Recorder(units=1, log=log)(inputs))
    assert [entry[:2] for entry in log] == [("build", (None, 3)), ("call", "SymbolicTensor")]
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    x, y = np.ones((8, 3), "float32"), np.zeros((8, 1), "float32")
    del log[:]
    model.fit(x, y, batch_size=4, verbose=0)
    assert log == [("call", "EagerTensor", True)] * 2
    del log[:]
    model.evaluate(x, y, batch_size=4, verbose=0)
    model.predict(x, batch_size=8, verbose=0)
    assert log == [("call", "EagerTensor", False)] * 3
    del log[:]
    model(x, training=True)
    assert log == [("call", "EagerTensor", True)]


@pytest.mark.claim("get-config-called-on-save", "default-from-config-calls-cls-with-config")
def test_save_calls_get_config_and_load_calls_the_constructor(tmp_path):
    log = []
    received = []

    class Tracked(Recorder):
        def __init__(self, units=2, **kwargs):
            received.append(dict(units=units, **kwargs))
            super().__init__(units=units, log=log, **kwargs)

    inputs = keras.Input(shape=(3,))
    model = keras.Model(inputs, Tracked(units=4, name="tracked")(inputs))
    assert ("get_config",) not in log
    model.save(tmp_path / "m.keras")
    assert ("get_config",) in log
    del received[:]
    keras.models.load_model(tmp_path / "m.keras", custom_objects={"Tracked": Tracked})
    assert len(received) == 1
    assert received[0]["units"] == 4 and received[0]["name"] == "tracked"
    assert {"trainable", "dtype"} <= set(received[0])


@pytest.mark.claim("compute-output-shape-skips-call")
def test_symbolic_call_uses_compute_output_shape_instead_of_call():
    calls = []

    class WithShape(keras.layers.Layer):
        def call(self, inputs):
            calls.append("call")
            return inputs[:, :2]

        def compute_output_shape(self, input_shape):
            return (input_shape[0], 2)

    class WithoutShape(WithShape):
        compute_output_shape = keras.layers.Layer.compute_output_shape

    output = WithShape()(keras.Input(shape=(5,)))
    assert calls == [] and output.shape == (None, 2)
    output = WithoutShape()(keras.Input(shape=(5,)))
    assert calls == ["call"] and output.shape == (None, 2)


@pytest.mark.claim("base-layer-config-keys")
def test_inherited_get_config_holds_name_dtype_trainable():
    class NoArgs(keras.layers.Layer):
        def call(self, inputs):
            return inputs

    config = NoArgs(name="plain", trainable=False, dtype="float64").get_config()
    assert config["name"] == "plain"
    assert config["trainable"] is False
    assert keras.saving.deserialize_keras_object(config["dtype"]).name == "float64"
    restored = NoArgs.from_config(config)
    assert (restored.name, restored.trainable, restored.dtype) == ("plain", False, "float64")


@pytest.mark.claim("auto-config-records-plain-arguments")
def test_constructor_arguments_with_plain_values_are_recorded():
    class Plain(keras.layers.Layer):
        def __init__(self, factor=1.0, labels=None, options=None, flag=False, **kwargs):
            super().__init__(**kwargs)

    config = Plain(factor=3.0, labels=["a", "b"], options={"k": 2}, flag=True).get_config()
    assert (config["factor"], config["labels"], config["options"], config["flag"]) == (
        3.0, ["a", "b"], {"k": 2}, True)


@pytest.mark.claim("overridden-get-config-replaces-auto-record")
def test_overriding_get_config_drops_the_recorded_arguments(tmp_path):
    class Scale(keras.layers.Layer):
        def __init__(self, factor=1.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, inputs):
            return inputs * self.factor

    class Forgetful(Scale):
        def get_config(self):
            return super().get_config()

    assert Scale(factor=3.0).get_config()["factor"] == 3.0
    assert "factor" not in Forgetful(factor=3.0).get_config()
    model = keras.Sequential([keras.Input(shape=(2,)), Forgetful(factor=3.0)])
    model.save(tmp_path / "f.keras")
    restored = keras.models.load_model(tmp_path / "f.keras", custom_objects={"Forgetful": Forgetful})
    assert restored.layers[0].factor == 1.0


@pytest.mark.claim("load-creates-builds-then-assigns")
def test_loading_builds_with_the_saved_shape_then_restores_values(tmp_path):
    log = []

    @keras.saving.register_keras_serializable(package="claims_custom_layers")
    class Logged(Recorder):
        def __init__(self, units=2, **kwargs):
            super().__init__(units=units, log=log, **kwargs)

        def build(self, input_shape):
            super().build(input_shape)
            self.record(("kernel after build", float(keras.ops.sum(self.kernel))))

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(3,)), Logged(units=2)])
    model.layers[0].kernel.assign(np.full((3, 2), 7.0, "float32"))
    model.save(tmp_path / "l.keras")
    del log[:]
    restored = keras.models.load_model(tmp_path / "l.keras")
    events = [entry for entry in log if entry[0] != "get_config"]
    assert events[0] == ("build", (None, 3))
    assert events[1][0] == "kernel after build" and events[1][1] != pytest.approx(42.0)
    assert float(keras.ops.sum(restored.layers[0].kernel)) == pytest.approx(42.0)


@pytest.mark.claim("positional-add-weight-name-rejected")
def test_positional_add_weight_name_keras2_accepts_keras3_rejects():
    import tf_keras

    class OldStyle(tf_keras.layers.Layer):
        def build(self, input_shape):
            self.kernel = self.add_weight("kernel", shape=(input_shape[-1], 2))

        def call(self, inputs):
            return inputs @ self.kernel

    old = OldStyle(name="old")
    old(np.ones((1, 3), "float32"))
    assert [w.name for w in old.weights] == ["old/kernel:0"]

    class NewStyle(keras.layers.Layer):
        def build(self, input_shape):
            self.kernel = self.add_weight("kernel", shape=(input_shape[-1], 2))

        def call(self, inputs):
            return keras.ops.matmul(inputs, self.kernel)

    with pytest.raises(ValueError, match="`name` must be passed as a keyword argument"):
        NewStyle()(np.ones((1, 3), "float32"))


@pytest.mark.claim("seed-generator-created-outside-call")
def test_seed_generator_created_in_call_raises_and_in_init_reproduces():
    class LateSeed(keras.layers.Layer):
        def call(self, inputs):
            self.generator = keras.random.SeedGenerator(1)
            return inputs + keras.random.normal(keras.ops.shape(inputs), seed=self.generator)

    with pytest.raises(ValueError, match="You cannot add new elements of state"):
        LateSeed()(np.ones((1, 2), "float32"))

    def draws():
        generator = keras.random.SeedGenerator(3)
        first = keras.random.normal((3,), seed=generator)
        second = keras.random.normal((3,), seed=generator)
        return keras.ops.convert_to_numpy(first), keras.ops.convert_to_numpy(second)

    (a1, a2), (b1, b2) = draws(), draws()
    np.testing.assert_array_equal(a1, b1)
    np.testing.assert_array_equal(a2, b2)
    assert not np.allclose(a1, a2)


@pytest.mark.claim("reloaded-build-shape-tuple-becomes-list")
def test_reloaded_config_differs_from_the_original_only_by_lists_for_tuples(tmp_path):
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
    model.save(tmp_path / "model.keras")
    reloaded = keras.models.load_model(tmp_path / "model.keras")
    original, restored = model.get_config(), reloaded.get_config()
    assert original["layers"][1]["build_config"]["input_shape"] == (None, 3)
    assert restored["layers"][1]["build_config"]["input_shape"] == [None, 3]
    assert original != restored
    assert json.dumps(original) == json.dumps(restored)
