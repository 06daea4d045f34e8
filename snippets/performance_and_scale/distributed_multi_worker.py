"""MultiWorkerMirroredStrategy with two worker processes on 127.0.0.1.

Run it as a script: python snippets/performance_and_scale/distributed_multi_worker.py
It starts two copies of itself (the workers), which train one model together.
"""

# --8<-- [start:multi_worker]
# Not runnable: starts two TensorFlow processes that talk over local ports; save it as a file
import json
import os
import socket
import subprocess
import sys


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))  # (1)!
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


def worker(index, ports):
    os.environ["TF_CONFIG"] = json.dumps({  # (2)!
        "cluster": {"worker": [f"127.0.0.1:{port}" for port in ports]},
        "task": {"type": "worker", "index": index},
    })
    import numpy as np
    import tensorflow as tf
    import keras

    strategy = tf.distribute.MultiWorkerMirroredStrategy()  # (3)!
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype("float32")
    y = x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32") + 0.3
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(16).with_options(options)  # (4)!

    with strategy.scope():
        keras.utils.set_random_seed(7)
        model = keras.Sequential([
            keras.Input(shape=(3,)),
            keras.layers.Dense(1, kernel_regularizer=keras.regularizers.L2(0.01)),
        ])
        optimizer = keras.optimizers.SGD(0.05)

    @tf.function
    def train_step(x_batch, y_batch):
        def replica_step(x_batch, y_batch):
            with tf.GradientTape() as tape:
                per_example = 0.5 * tf.reduce_mean(tf.square(y_batch - model(x_batch, training=True)), axis=-1)
                loss = tf.nn.compute_average_loss(per_example, global_batch_size=16)  # (5)!
                loss += tf.nn.scale_regularization_loss(tf.add_n(model.losses))
            gradients = tape.gradient(loss, model.trainable_variables)
            optimizer.apply(gradients, model.trainable_variables)
            return loss

        per_replica = strategy.run(replica_step, args=(x_batch, y_batch))
        return strategy.reduce("SUM", per_replica, axis=None)

    losses = []
    for epoch in range(2):
        steps = [float(train_step(xb, yb)) for xb, yb in strategy.experimental_distribute_dataset(dataset)]
        losses.append(round(float(np.mean(steps)), 4))
    if index == 0:  # (6)!
        print("replicas:", strategy.num_replicas_in_sync)
        print("loss:", losses)

if __name__ == "__main__":
    if len(sys.argv) > 1:
        worker(int(sys.argv[1]), json.loads(sys.argv[2]))
    else:
        ports = free_ports(2)
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
        workers = [subprocess.Popen([sys.executable, __file__, str(i), json.dumps(ports)],
                                    stdout=subprocess.PIPE, text=True, env=env)
                   for i in range(2)]
        outputs = [w.communicate(timeout=240)[0] for w in workers]  # (7)!
        print(outputs[0], end="")
        print("exit codes:", [w.returncode for w in workers])
# --8<-- [end:multi_worker]
