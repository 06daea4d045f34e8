"""Draws docs/assets/figures/training-step.svg (English labels) and training-step.es.svg
(Spanish labels): the hooks Keras calls in one training step, in the order that
snippets/concepts/training_step.py prints. The tests rerun it and compare the files."""

import matplotlib

matplotlib.use("Agg")  # draw to files, with no window

# --8<-- [start:figure]
import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch

LABELS = {  # the words in the figure, in each language of the site
    "en": {"gradient": "d loss / d weights", "next_batch": "batch += 1"},
    "es": {"gradient": "d pérdida / d pesos", "next_batch": "lote += 1"},
}


def draw(text):
    # (label in the box, Keras method that makes the call, colour)
    steps = [
        ("Initializer.__call__", "Layer.build", "#757575"),
        ("on_train_batch_begin", "Callback", "#607d8b"),
        ("Layer.call -> activation, add_loss", "Model.call", "#1e88e5"),
        ("Loss.call + Regularizer.__call__", "Model.compute_loss", "#fb8c00"),
        (text["gradient"], "GradientTape.gradient", "#e53935"),
        ("Optimizer.update_step -> Constraint.__call__", "Optimizer.apply", "#43a047"),
        ("Metric.update_state -> Metric.result", "Model.compute_metrics", "#8e24aa"),
        ("on_train_batch_end", "Callback", "#607d8b"),
    ]

    fig, ax = plt.subplots(figsize=(7.6, 5.6))
    ax.set_xlim(0.0, 10.0)
    ax.set_ylim(-0.45, len(steps) - 0.55)
    ax.axis("off")

    box_left, box_width, box_height = 0.4, 5.6, 0.56
    rows = {}
    for index, (label, caller, colour) in enumerate(steps):
        y = len(steps) - 1 - index  # first step at the top
        rows[index] = y
        ax.add_patch(FancyBboxPatch(
            (box_left, y - box_height / 2), box_width, box_height,
            boxstyle="round,pad=0.02,rounding_size=0.12",
            facecolor=colour, edgecolor="none", alpha=0.18,
        ))
        ax.text(box_left + 0.2, y, label, va="center", ha="left", family="monospace", fontsize=9.5)
        ax.text(box_left + box_width + 0.25, y, caller, va="center", ha="left",
                family="monospace", fontsize=8.5, color=colour)
        if index > 0:
            ax.annotate("", xy=(box_left + 0.35, y + box_height / 2),
                        xytext=(box_left + 0.35, y + 1 - box_height / 2),
                        arrowprops={"arrowstyle": "->", "color": "#424242"})

    # Everything between the two callbacks is Model.train_step.
    top, bottom = rows[2] + box_height / 2, rows[6] - box_height / 2
    bracket_x = 9.35
    ax.plot([bracket_x - 0.12, bracket_x, bracket_x, bracket_x - 0.12],
            [top, top, bottom, bottom], color="#212121", linewidth=1.0)
    ax.text(bracket_x + 0.12, (top + bottom) / 2, "Model.train_step", rotation=90,
            va="center", ha="left", family="monospace", fontsize=9)

    # The build happens once; the other rows repeat for every batch.
    ax.axhline(rows[0] - 0.5, xmin=0.02, xmax=0.98, color="#9e9e9e", linestyle="--", linewidth=0.8)
    ax.annotate("", xy=(box_left - 0.05, rows[1]), xytext=(box_left - 0.05, rows[7]),
                arrowprops={"arrowstyle": "->", "color": "#424242",
                            "connectionstyle": "bar,fraction=-0.08"})
    ax.text(0.02, (rows[1] + rows[7]) / 2, text["next_batch"], rotation=90, va="center", ha="left",
            family="monospace", fontsize=8.5, color="#424242")
    fig.tight_layout()
    return fig


figures = {language: draw(text) for language, text in LABELS.items()}
# --8<-- [end:figure]

plt.rcParams["svg.hashsalt"] = "keras-hooks"  # stable ids and no date: a reproducible file
figures["en"].savefig("training-step.svg", metadata={"Date": None})
figures["es"].savefig("training-step.es.svg", metadata={"Date": None})
