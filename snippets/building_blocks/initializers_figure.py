"""Draws docs/assets/figures/initializer-distribution.svg (English labels) and
initializer-distribution.es.svg (Spanish labels): histograms of a large kernel drawn by a
custom initializer and by keras.initializers.GlorotNormal, against the normal density with
the Glorot standard deviation. The tests rerun it and compare the files."""

import matplotlib

matplotlib.use("Agg")  # draw to files, with no window

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import numpy as np
import keras


def my_glorot_normal(shape, dtype=None):
    fan_in, fan_out = shape[0], shape[-1]
    stddev = (2.0 / (fan_in + fan_out)) ** 0.5
    return keras.random.normal(shape, stddev=stddev, dtype=dtype)


keras.utils.set_random_seed(0)
shape = (400, 200)
sigma = (2.0 / (shape[0] + shape[1])) ** 0.5
custom = keras.ops.convert_to_numpy(my_glorot_normal(shape)).ravel()
builtin = keras.ops.convert_to_numpy(keras.initializers.GlorotNormal()(shape)).ravel()

bins = np.linspace(-4.0 * sigma, 4.0 * sigma, 81)
grid = np.linspace(-4.0 * sigma, 4.0 * sigma, 400)
density = np.exp(-0.5 * (grid / sigma) ** 2) / (sigma * np.sqrt(2.0 * np.pi))

LABELS = {  # the words in the figure, in each language of the site
    "en": {"std": "std", "value": "kernel value (400 × 200 kernel)", "density": "density"},
    "es": {"std": "desv. estándar", "value": "valor del kernel (kernel de 400 × 200)",
           "density": "densidad"},
}


def draw(text):
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    ax.hist(custom, bins=bins, density=True, histtype="step", linewidth=1.5,
            label=f"my_glorot_normal: {text['std']} {custom.std():.4f}")
    ax.hist(builtin, bins=bins, density=True, histtype="step", linewidth=1.5,
            label=f"GlorotNormal(): {text['std']} {builtin.std():.4f}")
    ax.plot(grid, density, "k--", label=f"N(0, σ²), σ = √(2 / (400 + 200)) = {sigma:.4f}")
    for x in (-sigma, sigma):
        ax.axvline(x, color="gray", linestyle=":")
    ax.set_xlabel(text["value"])
    ax.set_ylabel(text["density"])
    ax.set_ylim(0.0, 1.45 * density.max())
    ax.legend(fontsize="small", loc="upper left")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


figures = {language: draw(text) for language, text in LABELS.items()}
# --8<-- [end:figure]

plt.rcParams["svg.hashsalt"] = "keras-hooks"  # stable ids and no date: a reproducible file
figures["en"].savefig("initializer-distribution.svg", metadata={"Date": None})
figures["es"].savefig("initializer-distribution.es.svg", metadata={"Date": None})
