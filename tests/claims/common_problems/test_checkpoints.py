"""Claim checks for docs/<lang>/common-problems/checkpoints.md."""

import json
import logging

import numpy as np
import pytest
import keras


def _data():
    rng = np.random.default_rng(0)
    x = rng.random((32, 2), dtype="float32")
    return x, (2 * x[:, :1] - x[:, 1:]).astype("float32")


def _model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    return model


class _CrashAt(keras.callbacks.Callback):
    def __init__(self, epoch, batch):
        super().__init__()
        self.at = (epoch, batch)
        self.epoch = None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_begin(self, batch, logs=None):
        if (self.epoch, batch) == self.at:
            raise RuntimeError("crash")


class _Batches(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.seen = []
        self.epoch = None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_begin(self, batch, logs=None):
        self.seen.append((self.epoch, batch))


@pytest.mark.claim("model-checkpoint-directory-refused")
def test_directory_name_refused(tmp_path):
    with pytest.raises(ValueError, match="must end in `.keras`"):
        keras.callbacks.ModelCheckpoint(str(tmp_path / "saved_model_dir"))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.claim("model-checkpoint-h5-legacy")
def test_h5_name_accepted_with_warning(tmp_path, caplog):
    x, y = _data()
    model = _model()
    path = tmp_path / "model.h5"
    with caplog.at_level(logging.WARNING):
        model.fit(x, y, epochs=1, verbose=0, callbacks=[keras.callbacks.ModelCheckpoint(str(path))])
    assert path.exists()
    assert any("HDF5" in record.getMessage() and "legacy" in record.getMessage()
               and ".keras" in record.getMessage() for record in caplog.records)
    import h5py

    with h5py.File(path) as handle:
        assert "model_config" in handle.attrs  # the legacy whole-model layout


@pytest.mark.claim("sequential-config-input-shape-list-after-load")
def test_sequential_config_differs_only_by_list(tmp_path):
    model = _model()
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    before, after = model.get_config(), loaded.get_config()
    assert before != after
    assert json.loads(json.dumps(before)) == json.loads(json.dumps(after))  # tuple vs list only
    assert all(a.get_config() == b.get_config() for a, b in zip(model.layers, loaded.layers))


@pytest.mark.claim("weights-file-needs-built-model")
def test_weights_file_needs_model(tmp_path):
    x, y = _data()
    model = _model()
    model.fit(x, y, epochs=1, verbose=0)
    path = tmp_path / "w.weights.h5"
    model.save_weights(path)
    with pytest.raises(ValueError, match="No model config found"):
        keras.models.load_model(path)
    fresh = _model()
    fresh.load_weights(path)
    assert all(np.array_equal(a, b) for a, b in zip(fresh.get_weights(), model.get_weights()))


@pytest.mark.claim("backup-mid-epoch-restarts-epoch")
def test_mid_epoch_crash_reruns_epoch_from_first_batch(tmp_path):
    x, y = _data()
    backup = str(tmp_path / "backup")
    reference = _model()
    reference.fit(x, y, batch_size=8, epochs=1, verbose=0)  # the weights after epoch 0
    with pytest.raises(RuntimeError):
        _model().fit(x, y, batch_size=8, epochs=3, verbose=0,
                     callbacks=[keras.callbacks.BackupAndRestore(backup), _CrashAt(1, 2)])
    resumed, batches = _model(), _Batches()
    probe = keras.callbacks.LambdaCallback(on_epoch_begin=lambda epoch, logs: restored.append(
        [w.copy() for w in resumed.get_weights()]) if epoch == 1 else None)
    restored = []
    resumed.fit(x, y, batch_size=8, epochs=3, verbose=0,
                callbacks=[keras.callbacks.BackupAndRestore(backup), batches, probe])
    assert batches.seen[:4] == [(1, 0), (1, 1), (1, 2), (1, 3)]
    assert all(np.allclose(a, b) for a, b in zip(restored[0], reference.get_weights()))


@pytest.mark.claim("backup-save-freq-reruns-epoch")
def test_save_freq_restores_newer_weights_but_reruns_epoch(tmp_path):
    x, y = _data()
    backup = str(tmp_path / "backup")
    with pytest.raises(RuntimeError):
        _model().fit(x, y, batch_size=8, epochs=3, verbose=0,
                     callbacks=[keras.callbacks.BackupAndRestore(backup, save_freq=2), _CrashAt(1, 3)])
    metadata = json.loads((tmp_path / "backup" / "training_metadata.json").read_text())
    assert metadata == {"epoch": 1, "batch": 1}  # saved after batch 1 of epoch 1

    reference = _model()
    reference.fit(x, y, batch_size=8, epochs=1, verbose=0)
    end_of_epoch_0 = reference.get_weights()
    resumed, batches = _model(), _Batches()
    restored = []
    probe = keras.callbacks.LambdaCallback(on_epoch_begin=lambda epoch, logs: restored.append(
        [w.copy() for w in resumed.get_weights()]) if epoch == 1 else None)
    resumed.fit(x, y, batch_size=8, epochs=3, verbose=0,
                callbacks=[keras.callbacks.BackupAndRestore(backup, save_freq=2), batches, probe])
    assert batches.seen[0] == (1, 0)  # the epoch runs again from its first batch
    assert not all(np.allclose(a, b) for a, b in zip(restored[0], end_of_epoch_0))  # newer weights
