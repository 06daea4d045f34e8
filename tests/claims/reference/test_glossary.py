"""Claim checks for docs/<lang>/reference/glossary.md."""

import numpy as np
import pytest
import tensorflow as tf
import keras


def dense_model(**dense_kwargs):
    keras.utils.set_random_seed(0)
    return keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2, **dense_kwargs)])


@pytest.mark.claim("activity-regularizer-on-output")
def test_activity_regularizer_penalises_the_output():
    layer = keras.layers.Dense(2, kernel_initializer="ones", bias_initializer="zeros",
                               activity_regularizer=keras.regularizers.L1(1.0))
    x = np.ones((1, 3), "float32")
    output = keras.ops.convert_to_numpy(layer(x))
    np.testing.assert_allclose(output, [[3.0, 3.0]])
    layer(2 * x)  # output [[6, 6]]: its L1 is 12, while the kernel's L1 stays 6
    assert float(layer.losses[-1]) == pytest.approx(12.0)


@pytest.mark.claim("build-runs-initializers")
def test_initializers_run_in_build():
    calls = []

    class Recording(keras.initializers.Initializer):
        def __call__(self, shape, dtype=None):
            calls.append(tuple(shape))
            return keras.ops.zeros(shape, dtype=dtype)

    layer = keras.layers.Dense(2, kernel_initializer=Recording())
    assert calls == [] and not layer.built
    layer.build((None, 5))
    assert calls == [(5, 2)] and layer.built


@pytest.mark.claim("lambda-bytecode-refused-by-safe-mode")
def test_lambda_is_stored_as_bytecode_and_refused(tmp_path):
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Lambda(lambda t: t * 2.0)])
    config = keras.saving.serialize_keras_object(model.layers[0])["config"]["function"]
    assert config["class_name"] == "__lambda__"
    assert isinstance(config["config"]["code"], str)  # base64-encoded bytecode
    model.save(tmp_path / "lambda.keras")
    with pytest.raises(ValueError, match="Python lambda"):
        keras.models.load_model(tmp_path / "lambda.keras")


@pytest.mark.claim("callbacks-called-by-fit-evaluate-predict")
def test_fit_evaluate_and_predict_call_callback_methods():
    seen = []

    class Record(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            seen.append("fit")

        def on_test_begin(self, logs=None):
            seen.append("evaluate")

        def on_predict_begin(self, logs=None):
            seen.append("predict")

    model = dense_model()
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((4, 3), "float32"), np.zeros((4, 2), "float32")
    model.fit(x, y, epochs=1, verbose=0, callbacks=[Record()])
    model.evaluate(x, y, verbose=0, callbacks=[Record()])
    model.predict(x, verbose=0, callbacks=[Record()])
    assert seen == ["fit", "evaluate", "predict"]


@pytest.mark.claim("closure-variables-not-saved")
def test_closure_variables_are_not_in_the_saved_config():
    def scaled_mse(scale):
        def loss(y_true, y_pred):
            return scale * keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)
        return loss

    config = keras.saving.serialize_keras_object(scaled_mse(123.5))
    assert config["config"] == "loss"
    assert "123.5" not in repr(config)


@pytest.mark.claim("constraint-after-each-update")
def test_constraint_applied_after_each_optimizer_update():
    x, y = np.ones((4, 3), "float32"), np.full((4, 2), -100.0, "float32")

    def smallest_kernel_after_one_step(**kwargs):
        model = dense_model(**kwargs)
        model.compile(optimizer=keras.optimizers.SGD(1.0), loss="mse")
        model.train_on_batch(x, y)
        return keras.ops.convert_to_numpy(model.layers[0].kernel).min()

    assert smallest_kernel_after_one_step() < -10.0  # the step pushes the kernel negative
    assert smallest_kernel_after_one_step(kernel_constraint=keras.constraints.NonNeg()) == 0.0


@pytest.mark.claim("exported-savedmodel-has-serve-function")
def test_export_writes_a_serve_endpoint(tmp_path):
    model = dense_model()
    model.export(str(tmp_path / "exported"), verbose=False)
    reloaded = tf.saved_model.load(str(tmp_path / "exported"))
    x = np.ones((2, 3), "float32")
    np.testing.assert_allclose(reloaded.serve(x).numpy(), model(x), rtol=1e-6)


@pytest.mark.claim("predict-calls-with-training-false")
def test_predict_passes_training_false():
    seen = []

    class Record(keras.layers.Layer):
        def call(self, inputs, training=None):
            seen.append(training)
            return inputs

    model = keras.Sequential([keras.Input(shape=(3,)), Record()])
    seen.clear()  # building the model called the layer symbolically
    model.predict(np.ones((2, 3), "float32"), verbose=0)
    assert seen and all(flag is False for flag in seen)


@pytest.mark.claim("mask-is-boolean")
def test_embedding_mask_is_boolean_and_marks_real_steps():
    layer = keras.layers.Embedding(10, 2, mask_zero=True)
    mask = layer.compute_mask(np.array([[3, 5, 0, 0]]))
    assert keras.backend.standardize_dtype(mask.dtype) == "bool"
    assert keras.ops.convert_to_numpy(mask).tolist() == [[True, True, False, False]]


@pytest.mark.claim("regularizer-added-to-loss")
def test_weight_regularizer_value_is_added_to_the_loss():
    model = dense_model(kernel_regularizer=keras.regularizers.L2(0.5))
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((4, 3), "float32"), np.zeros((4, 2), "float32")
    plain = float(np.mean(keras.ops.convert_to_numpy(model(x)) ** 2))
    kernel = keras.ops.convert_to_numpy(model.layers[0].kernel)
    penalty = 0.5 * float(np.sum(kernel ** 2))
    assert model.evaluate(x, y, verbose=0) == pytest.approx(plain + penalty, rel=1e-5)


@pytest.mark.claim("retracing-on-new-signature")
def test_a_new_input_signature_traces_a_new_graph():
    traces = []

    @tf.function
    def double(t):
        traces.append(t.shape)
        return 2 * t

    double(tf.ones((2,)))
    double(tf.ones((2,)))
    assert len(traces) == 1
    double(tf.ones((3, 3)))
    assert len(traces) == 2


@pytest.mark.claim("slot-variable-per-weight")
def test_momentum_keeps_one_slot_per_weight():
    model = dense_model()
    optimizer = keras.optimizers.SGD(0.1, momentum=0.9)
    optimizer.build(model.trainable_variables)
    momentums = [v for v in optimizer.variables if "momentum" in v.path]
    assert [tuple(v.shape) for v in momentums] == [tuple(w.shape) for w in model.trainable_variables]


@pytest.mark.claim("keras-input-is-symbolic")
def test_keras_input_is_a_keras_tensor_without_values():
    inputs = keras.Input(shape=(3,), dtype="float32")
    assert isinstance(inputs, keras.KerasTensor)
    assert inputs.shape == (None, 3) and inputs.dtype == "float32"
    with pytest.raises(ValueError, match="A KerasTensor cannot be used as input to a TensorFlow function"):
        tf.convert_to_tensor(inputs)


@pytest.mark.claim("weights-are-trainable-plus-non-trainable")
def test_layer_weights_are_trainable_and_non_trainable_variables():
    layer = keras.layers.BatchNormalization()
    layer.build((None, 3))
    assert len(layer.trainable_weights) == 2 and len(layer.non_trainable_weights) == 2
    assert [id(w) for w in layer.weights] == [id(w) for w in layer.trainable_weights + layer.non_trainable_weights]
