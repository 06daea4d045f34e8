"""Draws docs/assets/figures/huber-vs-squared-error.svg (English labels) and
huber-vs-squared-error.es.svg (Spanish labels): the Huber loss and the squared error as
functions of the error, with their derivatives. The tests rerun it and compare the files."""

import matplotlib

matplotlib.use("Agg")  # draw to files, with no window

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import numpy as np
import keras

errors = np.linspace(-3.0, 3.0, 241, dtype="float32")  # y_pred - y_true
zeros = np.zeros_like(errors)
squared = keras.ops.convert_to_numpy(0.5 * keras.ops.square(errors))
huber = keras.ops.convert_to_numpy(
    keras.losses.Huber(delta=1.0, reduction=None)(zeros[:, None], errors[:, None]))

LABELS = {  # the words in the figure, in each language of the site
    "en": {"loss": "loss L(error)", "gradient": "gradient dL / d error"},
    "es": {"loss": "pérdida L(error)", "gradient": "gradiente dL / d error"},
}


def draw(text):
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.0, 3.4))
    for values, label in [(squared, "0.5 * error²"), (huber, "Huber, δ = 1")]:
        left.plot(errors, values, label=label)
        # The slope between neighbouring points: both curves are smooth, so it is the derivative.
        right.plot(errors, np.gradient(values, errors), label=label)
    left.set_title(text["loss"])
    right.set_title(text["gradient"])
    for ax in (left, right):
        ax.set_xlabel("error = y_pred - y_true")
        ax.axvspan(-1.0, 1.0, color="grey", alpha=0.12)  # |error| <= δ: both agree
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    return fig


figures = {language: draw(text) for language, text in LABELS.items()}
# --8<-- [end:figure]

plt.rcParams["svg.hashsalt"] = "keras-hooks"  # stable ids and no date: a reproducible file
figures["en"].savefig("huber-vs-squared-error.svg", metadata={"Date": None})
figures["es"].savefig("huber-vs-squared-error.es.svg", metadata={"Date": None})
