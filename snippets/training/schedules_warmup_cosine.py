"""The WarmupCosine learning-rate schedule, shared by schedules.py and schedules_figure.py
(both import it). Run it as a script to print a few of its values."""

import keras

# --8<-- [start:imports]
import math
# --8<-- [end:imports]


# --8<-- [start:warmup_cosine]
@keras.saving.register_keras_serializable(package="keras_hooks")
class WarmupCosine(keras.optimizers.schedules.LearningRateSchedule):
    """Linear warm-up from 0 to `peak` in `warmup_steps`, then cosine decay to 0
    in `decay_steps`; 0 after that."""

    def __init__(self, peak, warmup_steps, decay_steps):
        self.peak = peak
        self.warmup_steps = warmup_steps
        self.decay_steps = decay_steps

    def __call__(self, step):
        step = keras.ops.cast(step, "float32")  # (1)!
        warmup = self.peak * step / self.warmup_steps
        progress = keras.ops.minimum(step - self.warmup_steps, self.decay_steps) / self.decay_steps
        cosine = 0.5 * self.peak * (1.0 + keras.ops.cos(math.pi * progress))
        return keras.ops.where(step < self.warmup_steps, warmup, cosine)  # (2)!

    def get_config(self):
        return {  # (3)!
            "peak": self.peak,
            "warmup_steps": self.warmup_steps,
            "decay_steps": self.decay_steps,
        }
# --8<-- [end:warmup_cosine]


if __name__ == "__main__":
    schedule = WarmupCosine(peak=0.1, warmup_steps=10, decay_steps=90)
    print([round(float(schedule(step)), 4) for step in (0, 5, 10, 55, 100, 150)])
