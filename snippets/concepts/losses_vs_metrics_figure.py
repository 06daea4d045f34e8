"""Draws docs/assets/figures/loss-vs-error.svg (English labels) and loss-vs-error.es.svg
(Spanish labels): a loss and a 0-1 error for one positive example, as functions of the
model's logit. The tests rerun it and compare the files."""

import matplotlib

matplotlib.use("Agg")  # draw to files, with no window

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import numpy as np
import keras

logits = np.linspace(-4.0, 4.0, 161, dtype="float32")
y_true = np.ones_like(logits)

cross_entropy = keras.ops.convert_to_numpy(
    keras.losses.binary_crossentropy(y_true[:, None], logits[:, None], from_logits=True)
)
zero_one_error = (logits <= 0.0).astype("float32")  # wrong class: 1, right class: 0

LABELS = {  # the words in the figure, in each language of the site
    "en": {"loss": "binary cross-entropy", "error": "0-1 error (1 - accuracy)",
           "value": "value for y_true = 1"},
    "es": {"loss": "entropía cruzada binaria", "error": "error 0-1 (1 - exactitud)",
           "value": "valor para y_true = 1"},
}


def draw(text):
    fig, ax = plt.subplots(figsize=(6.0, 3.4))
    ax.plot(logits, cross_entropy, label=text["loss"])
    ax.step(logits, zero_one_error, where="post", label=text["error"])
    ax.set_xlabel("logit")
    ax.set_ylabel(text["value"])
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


figures = {language: draw(text) for language, text in LABELS.items()}
# --8<-- [end:figure]

plt.rcParams["svg.hashsalt"] = "keras-hooks"  # stable ids and no date: a reproducible file
figures["en"].savefig("loss-vs-error.svg", metadata={"Date": None})
figures["es"].savefig("loss-vs-error.es.svg", metadata={"Date": None})
