"""TL455 tape-step-in-inference-mode on the bug written the ways custom training loops write it
(a loop over a tf.data pipeline, a `@tf.function` train step, Keras 3 with BatchNormalization, a
model nested in another, GaussianNoise) and on correct look-alikes: `training=True` (as a keyword
or positionally), `training=False` said on purpose, a GAN generator step that scores its samples
with a discriminator it does not train, a dropout rate of 0 and a frozen batch normalization, the
global learning phase set, a subclassed model whose layers are not known, and a model with no
such layer. Each case marks its expected findings with `# expect: TL455`."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from corpus_support import marked_and_found

_TF = """
        import tensorflow as tf

        optimizer = tf.keras.optimizers.Adam(1e-3)
        loss_fn = tf.keras.losses.MeanSquaredError()
        xs, ys = tf.random.normal((256, 8)), tf.random.normal((256, 1))
        ds = tf.data.Dataset.from_tensor_slices((xs, ys)).shuffle(256).batch(32)
"""

CASES = {
    "loop-over-a-dataset": _TF + """
        model = tf.keras.Sequential([
            tf.keras.Input((8,)),
            tf.keras.layers.Dense(64, activation="relu"),
            tf.keras.layers.Dropout(0.5),
            tf.keras.layers.Dense(1),
        ])
        for epoch in range(5):
            for x, y in ds:
                with tf.GradientTape() as tape:
                    pred = model(x)  # expect: TL455
                    loss = loss_fn(y, pred)
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
    """,
    "tf-function-train-step": _TF + """
        classifier = tf.keras.Sequential([
            tf.keras.Input((8,)),
            tf.keras.layers.Dense(32),
            tf.keras.layers.BatchNormalization(),
            tf.keras.layers.Activation("relu"),
            tf.keras.layers.Dense(1),
        ])

        @tf.function
        def train_step(x, y):
            with tf.GradientTape() as tape:
                logits = classifier(x)  # expect: TL455
                loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
            grads = tape.gradient(loss, classifier.trainable_variables)
            optimizer.apply_gradients(zip(grads, classifier.trainable_variables))
            return loss

        for x, y in ds:
            train_step(x, y)
    """,
    "keras3-nested-model-and-noise": """
        import keras
        import numpy as np
        import tensorflow as tf

        block = keras.Sequential([keras.layers.Dense(16), keras.layers.GaussianNoise(0.1)])
        net = keras.Sequential([keras.Input((4,)), block, keras.layers.Dense(1)])
        opt = keras.optimizers.SGD(0.01)
        x = np.random.rand(64, 4).astype("float32")
        y = np.random.rand(64, 1).astype("float32")
        for step in range(100):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(net(x) - y))  # expect: TL455
            opt.apply_gradients(zip(tape.gradient(loss, net.trainable_weights), net.trainable_weights))
    """,
    # -- silent ----------------------------------------------------------------------------
    "flag-given": _TF + """
        model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(16), tf.keras.layers.Dropout(0.3),
                                     tf.keras.layers.Dense(1)])
        base = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.BatchNormalization(),
                                    tf.keras.layers.Dense(1)])
        for x, y in ds:
            with tf.GradientTape() as tape:
                loss = loss_fn(y, model(x, training=True)) + loss_fn(y, model(x, True))
                loss += loss_fn(y, base(x, training=False))
            grads = tape.gradient(loss, model.trainable_variables + base.trainable_variables)
            with tf.GradientTape() as tape:
                loss = loss_fn(y, model(x, True))
            optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
            with tf.GradientTape() as tape:
                loss = loss_fn(y, base(x, training=False))
            optimizer.apply_gradients(zip(tape.gradient(loss, base.trainable_variables), base.trainable_variables))
    """,
    "gan-generator-step-scores-with-discriminator": _TF + """
        generator = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(8)])
        discriminator = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(16),
                                             tf.keras.layers.Dropout(0.3), tf.keras.layers.Dense(1)])
        for x, _ in ds:
            with tf.GradientTape() as g_tape:
                fake = generator(tf.random.normal((32, 8)), training=True)
                g_loss = -tf.reduce_mean(discriminator(fake))
            grads = g_tape.gradient(g_loss, generator.trainable_variables)
            optimizer.apply_gradients(zip(grads, generator.trainable_variables))
    """,
    "rate-zero-and-frozen-normalization": _TF + """
        model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(16), tf.keras.layers.Dropout(0.0),
                                     tf.keras.layers.BatchNormalization(trainable=False), tf.keras.layers.Dense(1)])
        for x, y in ds:
            with tf.GradientTape() as tape:
                loss = loss_fn(y, model(x))
            grads = tape.gradient(loss, model.trainable_variables)
    """,
    "learning-phase-set": _TF + """
        tf.keras.backend.set_learning_phase(1)
        model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dropout(0.5), tf.keras.layers.Dense(1)])
        for x, y in ds:
            with tf.GradientTape() as tape:
                loss = loss_fn(y, model(x))
            grads = tape.gradient(loss, model.trainable_variables)
    """,
    "subclassed-model-and-plain-layers": _TF + """
        class Net(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.hidden = tf.keras.layers.Dense(16)
                self.drop = tf.keras.layers.Dropout(0.5)
                self.out = tf.keras.layers.Dense(1)

            def call(self, x):
                return self.out(self.drop(self.hidden(x), training=True))

        net = Net()
        plain = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(16, activation="relu"),
                                     tf.keras.layers.Dense(1)])
        for x, y in ds:
            with tf.GradientTape() as tape:
                loss = loss_fn(y, net(x)) + loss_fn(y, plain(x))
            grads = tape.gradient(loss, net.trainable_variables)
            grads = tape.gradient(loss, plain.trainable_variables)
    """,
}


def test_cli_names_the_layer_and_the_gradient(tmp_path):
    script = tmp_path / "loop.py"
    script.write_text(textwrap.dedent(CASES["loop-over-a-dataset"]).lstrip("\n"))
    proc = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--format", "json", "--no-cache", str(script)],
                          capture_output=True, text=True)
    findings = [f for f in json.loads(proc.stdout) if f["code"] == "TL455"]
    assert [f["location"]["row"] for f in findings] == [17]
    assert "Dropout layer (line 11)" in findings[0]["message"] and "(line 19)" in findings[0]["message"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_tape_step_in_inference_mode_written_several_ways(name):
    marked, found = marked_and_found("TL455", name, CASES[name])
    assert found == marked
