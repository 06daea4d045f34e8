"""Draws docs/assets/figures/learning-rate-schedule.svg (English labels) and
learning-rate-schedule.es.svg (Spanish labels): the WarmupCosine schedule of
schedules_warmup_cosine.py over 150 steps, with the built-in CosineDecay it imitates.
The tests rerun it and compare the files."""

import matplotlib

matplotlib.use("Agg")  # draw to files, with no window

from schedules_warmup_cosine import WarmupCosine  # the class the page shows (schedules_warmup_cosine.py)

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import numpy as np
import keras

steps = np.arange(0, 151)
custom = keras.ops.convert_to_numpy(WarmupCosine(peak=0.1, warmup_steps=10, decay_steps=90)(steps))
builtin = keras.optimizers.schedules.CosineDecay(
    initial_learning_rate=0.0, decay_steps=90, warmup_target=0.1, warmup_steps=10
)

LABELS = {  # the words in the figure, in each language of the site
    "en": {"step": "step (optimizer.iterations)"},
    "es": {"step": "paso (optimizer.iterations)"},
}


def draw(text):
    fig, ax = plt.subplots(figsize=(6.0, 3.4))
    ax.plot(steps, custom, label="WarmupCosine")
    ax.plot(steps[::10], [float(builtin(s)) for s in steps[::10]], "o", label="CosineDecay")
    ax.axvline(10, color="gray", linestyle=":", linewidth=1)
    ax.set_xlabel(text["step"])
    ax.set_ylabel("learning_rate")
    ax.legend(loc="upper right")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


figures = {language: draw(text) for language, text in LABELS.items()}
# --8<-- [end:figure]

plt.rcParams["svg.hashsalt"] = "keras-hooks"  # stable ids and no date: a reproducible file
figures["en"].savefig("learning-rate-schedule.svg", metadata={"Date": None})
figures["es"].savefig("learning-rate-schedule.es.svg", metadata={"Date": None})
