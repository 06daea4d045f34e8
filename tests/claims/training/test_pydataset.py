"""Claim checks for docs/<lang>/training/pydataset.md."""

import math
import threading

import numpy as np
import keras
import pytest


class Logged(keras.utils.PyDataset):
    def __init__(self, n=12, batch_size=5, **kwargs):
        super().__init__(**kwargs)
        rng = np.random.default_rng(0)
        self.x = rng.normal(size=(n, 3)).astype("float32")
        self.y = self.x.sum(axis=1, keepdims=True)
        self.batch_size, self.log, self.threads = batch_size, [], set()

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        self.log.append(index)
        self.threads.add(threading.get_ident())
        part = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[part], self.y[part]

    def on_epoch_begin(self):
        self.log.append("begin")

    def on_epoch_end(self):
        self.log.append("end")


def make_model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def epochs_of(log):
    """The batch indices of each epoch (between 'begin' and 'end')."""
    found, current = [], None
    for entry in log:
        if entry == "begin":
            current = []
        elif entry == "end":
            if current is not None:
                found.append(current)
            current = None
        elif current is not None:
            current.append(entry)
    return found


@pytest.mark.claim("pydataset-each-batch-once-per-epoch")
def test_with_threads_every_batch_is_fetched_once_per_epoch():
    from collections import Counter

    data = Logged(n=40, batch_size=4, workers=3)
    model = make_model()
    model.fit(data, epochs=2, verbose=0)
    # threads may prefetch across the epoch boundary, so count over the whole run:
    # twice each batch for the two epochs, plus batches 0 and 1 read once before training
    fetched = Counter(entry for entry in data.log if isinstance(entry, int))
    assert fetched == Counter({i: 2 for i in range(10)}) + Counter([0, 1])
    assert int(model.optimizer.iterations) == 20


@pytest.mark.claim("generator-epoch-length-unknown")
def test_a_generator_gives_fit_no_epoch_length():
    seen = []

    class Steps(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            seen.append(self.params["steps"])

    data = Logged()

    def generate():
        for i in range(len(data)):
            yield data[i]

    with pytest.warns(UserWarning, match="ran out of data"):  # it learns the end by hitting it
        make_model().fit(generate(), epochs=1, shuffle=False, verbose=0, callbacks=[Steps()])
    make_model().fit(Logged(), epochs=1, verbose=0, callbacks=[Steps()])
    assert seen == [None, 3]


@pytest.mark.claim("pydataset-init-parallelism-args")
def test_the_base_constructor_takes_the_parallelism_settings():
    data = Logged(workers=2, use_multiprocessing=True, max_queue_size=7)
    assert (data.workers, data.use_multiprocessing, data.max_queue_size) == (2, True, 7)
    with pytest.raises(TypeError):
        keras.utils.PyDataset(batch_size=4)


@pytest.mark.claim("pydataset-epoch-is-len-steps")
def test_an_epoch_is_len_dataset_steps():
    model = make_model()
    model.fit(Logged(n=12, batch_size=5), epochs=2, verbose=0)
    assert int(model.optimizer.iterations) == 6


@pytest.mark.claim("pydataset-on-epoch-end-before-first-epoch")
def test_fit_and_evaluate_call_on_epoch_end_before_the_first_epoch():
    data = Logged()
    make_model().fit(data, epochs=1, shuffle=False, verbose=0)
    assert data.log[:3] == [0, 1, "end"] and data.log[3] == "begin"
    data = Logged()
    make_model().evaluate(data, verbose=0)
    assert data.log.count("end") == 2 and data.log.index("end") < data.log.index("begin")


@pytest.mark.claim("pydataset-shuffle-orders-batches")
def test_fit_shuffles_the_order_of_batch_requests_only_and_is_seeded():
    orders = []
    for _ in range(2):
        data = Logged(n=40, batch_size=4)
        make_model().fit(data, epochs=3, verbose=0)  # shuffle defaults to True
        orders.append(epochs_of(data.log))
    assert orders[0] == orders[1]  # set_random_seed fixes the order
    assert all(sorted(epoch) == list(range(10)) for epoch in orders[0])
    assert any(epoch != list(range(10)) for epoch in orders[0])
    data = Logged(n=40, batch_size=4)
    make_model().fit(data, epochs=2, shuffle=False, verbose=0)
    assert epochs_of(data.log) == [list(range(10))] * 2


@pytest.mark.claim("pydataset-workers-same-result")
def test_threads_prepare_batches_but_training_matches_one_worker():
    weights = []
    for workers in (1, 2):
        data = Logged(n=40, batch_size=4, workers=workers)
        model = make_model()
        model.fit(data, epochs=2, shuffle=False, verbose=0)
        weights.append(model.get_weights())
        if workers == 2:
            assert len(data.threads - {threading.get_ident()}) >= 1  # worker threads fetched batches
    for a, b in zip(*weights):
        np.testing.assert_array_equal(a, b)


@pytest.mark.claim("pydataset-on-epoch-begin-new")
def test_on_epoch_begin_is_new_in_keras3():
    import tf_keras

    assert hasattr(keras.utils.PyDataset, "on_epoch_begin")
    assert hasattr(tf_keras.utils.Sequence, "on_epoch_end")
    assert not hasattr(tf_keras.utils.Sequence, "on_epoch_begin")


@pytest.mark.claim("generator-methods-removed")
def test_the_generator_methods_are_gone():
    model = make_model()
    for name in ("fit_generator", "evaluate_generator", "predict_generator"):
        assert not hasattr(model, name)


@pytest.mark.claim("pydataset-not-saved-with-model")
def test_the_saved_model_does_not_mention_the_dataset(tmp_path):
    import zipfile

    model = make_model()
    model.fit(Logged(), epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        config = archive.read("config.json").decode()
    assert "Logged" not in config and "PyDataset" not in config
    assert "Dense" in config
