"""TL213: the one tensor a TF1 run fetches is unpacked into several names. Under
tf.compat.v1 `a, b = sess.run(loss)` raises TypeError (a NumPy scalar) and `a, b =
sess.run(out, {z: 16 rows})` ValueError (too many values to unpack); the look-alikes fetch lists
or have exactly as many rows as names."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL213",))

BUGS = {
    # the Udacity GAN: a sampler built by a function, its batch fed at the run
    "generator-samples-with-open-batch": ("""
        import numpy as np
        import tensorflow as tf

        def generator(z, out_dim, reuse=False):
            with tf.variable_scope('generator', reuse=reuse):
                h1 = tf.layers.dense(z, 128, activation=tf.nn.relu)
                return tf.tanh(tf.layers.dense(h1, out_dim))

        input_z = tf.placeholder(tf.float32, (None, 100))
        g_model = generator(input_z, 784)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sample_z = np.random.uniform(-1, 1, size=(16, 100))
            gen_samples, _ = sess.run(generator(input_z, 784, reuse=True), feed_dict={input_z: sample_z})
    """, [14]),
    # a scalar loss fetched alone and unpacked as if the train op were fetched too
    "scalar-loss-with-fetches-keyword": ("""
        import numpy as np
        import tensorflow.compat.v1 as tf

        X = tf.placeholder(tf.float32, [None, 3])
        w = tf.Variable(tf.zeros([3, 1]))
        loss = tf.reduce_mean(tf.square(tf.matmul(X, w)))
        train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        sess = tf.Session()
        for step in range(10):
            loss_val, _ = sess.run(fetches=loss, feed_dict={X: np.ones((4, 3))})
    """, [10]),
    # `.eval()` of a tensor with a known first axis
    "eval-of-known-rows": ("""
        import tensorflow as tf

        table = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
        sess = tf.InteractiveSession()
        low, high = table.eval()
    """, [5]),
    # Keras 3: a one-output model compiled without metrics, evaluate unpacked into loss and accuracy
    "keras-evaluate-without-metrics": ("""
        import numpy as np
        import keras

        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        x, y = np.random.rand(32, 4), np.random.randint(0, 2, (32, 1))
        loss, acc = model.evaluate(x, y, verbose=0)
    """, [7]),
    # tf.keras functional model, test_on_batch
    "tf-keras-test-on-batch": ("""
        import numpy as np
        import tensorflow as tf

        inputs = tf.keras.Input((8,))
        outputs = tf.keras.layers.Dense(3, activation="softmax")(inputs)
        model = tf.keras.Model(inputs, outputs)
        model.compile("sgd", "sparse_categorical_crossentropy")
        test_loss, test_acc = model.test_on_batch(np.zeros((4, 8)), np.zeros((4,)))
    """, [8]),
}

LOOKALIKES = {
    "keras-evaluate-with-metrics": """
        import numpy as np
        import keras

        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        loss, acc = model.evaluate(np.random.rand(32, 4), np.random.randint(0, 2, (32, 1)), verbose=0)
    """,
    "keras-evaluate-one-name": """
        import numpy as np
        import keras

        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        loss = model.evaluate(np.random.rand(32, 4), np.random.rand(32, 1), verbose=0)
    """,
    "list-of-fetches": """
        import numpy as np
        import tensorflow as tf

        X = tf.placeholder(tf.float32, [None, 3])
        loss = tf.reduce_mean(tf.square(X))
        train_op = tf.train.AdamOptimizer().minimize(loss)
        with tf.Session() as sess:
            _, loss_val = sess.run([train_op, loss], feed_dict={X: np.ones((4, 3))})
    """,
    "function-returning-two-tensors": """
        import numpy as np
        import tensorflow as tf

        def discriminator(x):
            logits = tf.layers.dense(x, 1)
            return tf.sigmoid(logits), logits

        x = tf.placeholder(tf.float32, [None, 8])
        with tf.Session() as sess:
            probs, logits = sess.run(discriminator(x), feed_dict={x: np.ones((5, 8))})
    """,
    "as-many-rows-as-names": """
        import numpy as np
        import tensorflow as tf

        z = tf.placeholder(tf.float32, [None, 3])
        out = tf.tanh(z)
        with tf.Session() as sess:
            first, second = sess.run(out, {z: np.zeros((2, 3))})
    """,
    "feed-of-unknown-size": """
        import tensorflow as tf

        z = tf.placeholder(tf.float32, [None, 3])
        out = tf.tanh(z)
        with tf.Session() as sess:
            first, second = sess.run(out, {z: load_pair()})
    """,
    "one-name-for-one-tensor": """
        import numpy as np
        import tensorflow as tf

        z = tf.placeholder(tf.float32, [None, 3])
        out = tf.tanh(z)
        with tf.Session() as sess:
            samples = sess.run(out, feed_dict={z: np.zeros((16, 3))})
            head, *rest = sess.run(out, feed_dict={z: np.zeros((16, 3))})
    """,
}


def _text(program: str) -> str:
    return textwrap.dedent(program).lstrip("\n")


@pytest.mark.parametrize("name", sorted(BUGS))
def test_one_fetch_unpacked_is_reported(name):
    program, lines = BUGS[name]
    findings = analyze(_text(program), f"{name}.py", ONLY).findings
    assert sorted(f.line for f in findings) == lines
    assert all("unpacked" in f.message and "names" in f.message for f in findings)


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_look_alikes_stay_silent(name):
    assert analyze(_text(LOOKALIKES[name]), f"{name}.py", ONLY).findings == []
