"""Draws docs/assets/figures/activations.svg (English labels) and activations.es.svg
(Spanish labels): a custom, numerically stable softplus next to built-in activations, and the
naive softplus overflowing in float32. The tests rerun it and compare the files."""

import matplotlib

matplotlib.use("Agg")  # draw to files, with no window

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import numpy as np
import keras


def naive_softplus(z):
    return keras.ops.log(1.0 + keras.ops.exp(z))


def stable_softplus(z):
    return keras.ops.maximum(z, 0.0) + keras.ops.log1p(keras.ops.exp(-keras.ops.abs(z)))


def values(function, z):
    return keras.ops.convert_to_numpy(function(z))


LABELS = {  # the words in the figure, in each language of the site
    "en": {"custom": "stable_softplus (custom)", "activation": "activation(z)"},
    "es": {"custom": "stable_softplus (personalizado)", "activation": "activación(z)"},
}


def draw(text):
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.0, 3.4))

    z = np.linspace(-4.0, 4.0, 161, dtype="float32")
    left.plot(z, values(keras.activations.relu, z), label="keras.activations.relu")
    left.plot(z, values(keras.activations.silu, z), label="keras.activations.silu")
    left.plot(z, values(keras.activations.softplus, z), linewidth=4, alpha=0.4,
              label="keras.activations.softplus")
    left.plot(z, values(stable_softplus, z), "k--", label=text["custom"])
    left.set_xlabel("z")
    left.set_ylabel(text["activation"])
    left.legend(fontsize="small")
    left.grid(alpha=0.3)

    z = np.linspace(80.0, 100.0, 201, dtype="float32")  # float32: exp(z) = inf above z ≈ 88.7
    right.plot(z, values(stable_softplus, z), label="stable_softplus")
    right.plot(z, values(naive_softplus, z), "r--", linewidth=2, label="log(1 + exp(z))")
    right.axvline(float(np.log(np.finfo("float32").max)), color="gray", linestyle=":")
    right.set_xlabel("z (float32)")
    right.legend(fontsize="small")
    right.grid(alpha=0.3)
    fig.tight_layout()
    return fig


figures = {language: draw(text) for language, text in LABELS.items()}
# --8<-- [end:figure]

plt.rcParams["svg.hashsalt"] = "keras-hooks"  # stable ids and no date: a reproducible file
figures["en"].savefig("activations.svg", metadata={"Date": None})
figures["es"].savefig("activations.es.svg", metadata={"Date": None})
