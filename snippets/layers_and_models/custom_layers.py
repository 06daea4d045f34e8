"""Custom layers: without weights, with weights, several inputs and outputs, and the
`training` argument, each with a save/load round trip.

Run it as a script: python snippets/layers_and_models/custom_layers.py
"""

# --8<-- [start:imports]
import json
import numpy as np
import keras
# --8<-- [end:imports]

# --8<-- [start:center]
class CenterFeatures(keras.layers.Layer):
    def call(self, inputs):  # (1)!
        return inputs - keras.ops.mean(inputs, axis=-1, keepdims=True)


x = np.array([[1.0, 2.0, 6.0], [0.0, 0.0, 3.0]], dtype="float32")
center = CenterFeatures()
print(keras.ops.convert_to_numpy(center(x)))
print("weights:", len(center.weights))
# --8<-- [end:center]

# --8<-- [start:center_custom_objects]
model = keras.Sequential([keras.Input(shape=(3,)), CenterFeatures()])
before = model.predict(x, verbose=0)
model.save("center.keras")

restored = keras.models.load_model(
    "center.keras", custom_objects={"CenterFeatures": CenterFeatures}  # (1)!
)
print("same config:", json.dumps(restored.get_config()) == json.dumps(model.get_config()))
print(type(restored.layers[0]).__name__, np.allclose(before, restored.predict(x, verbose=0)))
# --8<-- [end:center_custom_objects]

try:
    # --8<-- [start:center_missing]
    keras.models.load_model("center.keras")
    # --8<-- [end:center_missing]
except TypeError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:soft_clip]
@keras.saving.register_keras_serializable(package="keras_hooks")  # (1)!
class SoftClip(keras.layers.Layer):
    def __init__(self, limit=1.0, **kwargs):
        super().__init__(**kwargs)  # (2)!
        self.limit = limit

    def call(self, inputs):
        return self.limit * keras.ops.tanh(inputs / self.limit)

    def get_config(self):
        return {**super().get_config(), "limit": self.limit}  # (3)!


soft_clip = SoftClip(limit=2.0)
print(np.round(keras.ops.convert_to_numpy(soft_clip(np.array([[-9.0, 0.5, 9.0]]))), 4))
print(soft_clip.get_config()["limit"])
# --8<-- [end:soft_clip]

# --8<-- [start:soft_clip_round_trip]
model = keras.Sequential([keras.Input(shape=(3,)), SoftClip(limit=2.0)])
before = model.predict(x, verbose=0)
model.save("soft_clip.keras")

restored = keras.models.load_model("soft_clip.keras")
print("same config:", json.dumps(restored.get_config()) == json.dumps(model.get_config()))
print(restored.layers[0].limit)
print(np.allclose(before, restored.predict(x, verbose=0)))
# --8<-- [end:soft_clip_round_trip]

# --8<-- [start:auto_config]
class Scale(keras.layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        return inputs * self.factor


print(Scale(factor=3.0).get_config()["factor"])  # (1)!

model = keras.Sequential([keras.Input(shape=(3,)), Scale(factor=3.0)])
before = model.predict(x, verbose=0)
model.save("scale.keras")

restored = keras.models.load_model("scale.keras", custom_objects={"Scale": Scale})
print("same config:", json.dumps(restored.get_config()) == json.dumps(model.get_config()))
print(restored.layers[0].factor, np.allclose(before, restored.predict(x, verbose=0)))
# --8<-- [end:auto_config]

# --8<-- [start:forgotten_argument]
class ForgetfulScale(Scale):
    def get_config(self):
        return super().get_config()  # (1)!


model = keras.Sequential([keras.Input(shape=(3,)), ForgetfulScale(factor=3.0)])
before = model.predict(x, verbose=0)
model.save("forgetful.keras")

restored = keras.models.load_model(
    "forgetful.keras", custom_objects={"ForgetfulScale": ForgetfulScale}
)
print("same config:", json.dumps(restored.get_config()) == json.dumps(model.get_config()))
print(restored.layers[0].factor)
print(np.allclose(before, restored.predict(x, verbose=0)))
# --8<-- [end:forgotten_argument]

try:
    # --8<-- [start:array_argument]
    class ArrayScale(keras.layers.Layer):
        def __init__(self, factors, **kwargs):
            super().__init__(**kwargs)
            self.factors = factors

        def call(self, inputs):
            return inputs * self.factors

    model = keras.Sequential(
        [keras.Input(shape=(3,)), ArrayScale(np.array([1.0, 2.0, 3.0], dtype="float32"))]
    )
    model.save("array_scale.keras")
    # --8<-- [end:array_argument]
except NotImplementedError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:linear]
@keras.saving.register_keras_serializable(package="keras_hooks")
class Linear(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):  # (1)!
        self.kernel = self.add_weight(
            shape=(input_shape[-1], self.units),
            initializer="glorot_uniform",
            name="kernel",
        )
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")

    def call(self, inputs):
        return keras.ops.matmul(inputs, self.kernel) + self.bias

    def compute_output_shape(self, input_shape):  # (2)!
        return (*input_shape[:-1], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units}
# --8<-- [end:linear]

# --8<-- [start:linear_build]
keras.utils.set_random_seed(7)
linear = Linear(2)
print("built:", linear.built, "weights:", len(linear.weights))
y = linear(x)  # (1)!
print("built:", linear.built, "weights:", [(w.name, tuple(w.shape)) for w in linear.weights])
print("bias:", keras.ops.convert_to_numpy(linear.bias))  # (2)!
print("kernel:")
print(np.round(keras.ops.convert_to_numpy(linear.kernel), 3))
print("output:", tuple(y.shape))
print("compute_output_shape:", linear.compute_output_shape((None, 3)))
# --8<-- [end:linear_build]

# --8<-- [start:linear_round_trip]
keras.utils.set_random_seed(7)
model = keras.Sequential([keras.Input(shape=(3,)), Linear(4), Linear(1)])
before = model.predict(x, verbose=0)
model.save("linear.keras")

restored = keras.models.load_model("linear.keras")
print("same config:", json.dumps(restored.get_config()) == json.dumps(model.get_config()))
print("units:", [layer.units for layer in restored.layers])
pairs = zip(model.get_weights(), restored.get_weights())
print("same weights:", all(np.array_equal(a, b) for a, b in pairs))
print(np.allclose(before, restored.predict(x, verbose=0)))
# --8<-- [end:linear_round_trip]



try:
    # --8<-- [start:old_add_weight]
    class OldLinear(keras.layers.Layer):
        def build(self, input_shape):
            self.kernel = self.add_weight("kernel", shape=(input_shape[-1], 2))  # (1)!

        def call(self, inputs):
            return keras.ops.matmul(inputs, self.kernel)

    OldLinear()(x)
    # --8<-- [end:old_add_weight]
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

# --8<-- [start:sum_and_difference]
@keras.saving.register_keras_serializable(package="keras_hooks")
class SumAndDifference(keras.layers.Layer):
    def call(self, inputs):
        first, second = inputs  # (1)!
        return first + second, first - second  # (2)!

    def compute_output_shape(self, input_shape):
        first_shape, second_shape = input_shape
        return first_shape, first_shape


a = np.array([[1.0, 2.0]], dtype="float32")
b = np.array([[0.5, 4.0]], dtype="float32")
total, difference = SumAndDifference()([a, b])
print(keras.ops.convert_to_numpy(total), keras.ops.convert_to_numpy(difference))
# --8<-- [end:sum_and_difference]

# --8<-- [start:sum_and_difference_model]
first_input = keras.Input(shape=(2,))
second_input = keras.Input(shape=(2,))
total, difference = SumAndDifference()([first_input, second_input])
model = keras.Model([first_input, second_input], [total, difference])
before = model.predict([a, b], verbose=0)
model.save("sum_and_difference.keras")

restored = keras.models.load_model("sum_and_difference.keras")
after = restored.predict([a, b], verbose=0)
print("same config:", json.dumps(restored.get_config()) == json.dumps(model.get_config()))
print(len(restored.outputs), [np.allclose(x_before, x_after) for x_before, x_after in zip(before, after)])
# --8<-- [end:sum_and_difference_model]

# --8<-- [start:training_noise]
@keras.saving.register_keras_serializable(package="keras_hooks")
class TrainingNoise(keras.layers.Layer):
    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.stddev = stddev
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)  # (1)!

    def call(self, inputs, training=False):  # (2)!
        if not training:
            return inputs
        noise = keras.random.normal(
            keras.ops.shape(inputs), stddev=self.stddev, seed=self.seed_generator
        )
        return inputs + noise

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}
# --8<-- [end:training_noise]

# --8<-- [start:training_noise_calls]
noise = TrainingNoise(stddev=0.1, seed=3)
ones = np.ones((1, 4), dtype="float32")
print("training=True: ", np.round(keras.ops.convert_to_numpy(noise(ones, training=True)), 3))
print("training=False:", keras.ops.convert_to_numpy(noise(ones, training=False)))
print("no argument:   ", keras.ops.convert_to_numpy(noise(ones)))
# --8<-- [end:training_noise_calls]

# --8<-- [start:training_noise_model]
keras.utils.set_random_seed(0)
model = keras.Sequential(
    [keras.Input(shape=(3,)), TrainingNoise(stddev=1.0, seed=5), keras.layers.Dense(1)]
)
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mse")  # (1)!
targets = np.array([[1.0], [0.0]], dtype="float32")

history = model.fit(x, targets, epochs=1, batch_size=2, verbose=0)
print("fit:     ", round(history.history["loss"][0], 4))  # (2)!
print("evaluate:", round(model.evaluate(x, targets, verbose=0), 4))
predicted = model.predict(x, verbose=0)
print("training=True  matches predict:", np.allclose(keras.ops.convert_to_numpy(model(x, training=True)), predicted))
print("training=False matches predict:", np.allclose(keras.ops.convert_to_numpy(model(x, training=False)), predicted))
# --8<-- [end:training_noise_model]

# --8<-- [start:training_noise_round_trip]
before = model.predict(x, verbose=0)
model.save("training_noise.keras")

restored = keras.models.load_model("training_noise.keras")
print("same config:", json.dumps(restored.get_config()) == json.dumps(model.get_config()))
print(restored.layers[0].stddev, restored.layers[0].seed)
print(np.allclose(before, restored.predict(x, verbose=0)))
# --8<-- [end:training_noise_round_trip]
