"""Capabilities that real buggy programs (tests/realbugs) needed, each written several ways:
the bug (`# expect: CODE` on the line reported) next to a correct look-alike that must stay
silent. Only the codes in CODES are compared."""
from __future__ import annotations

import textwrap

import pytest

from test_rules_gradients import _analyze
from test_variants import _expected

CODES = {"TL203", "TL208", "TL212", "TL302", "TL304", "TL307", "TL309", "TL402", "TL405", "TL414"}

_TF1_ONE_HOT_PLACEHOLDER = """
    import numpy as np
    import tensorflow{tf_mod} as tf
    x = tf.placeholder(tf.float32, [None, 784])
    y = tf.placeholder(tf.float32, [None, 10])
    W = tf.Variable(tf.zeros([784, 10]))
    logits = tf.matmul(x, W)
    loss = {loss}
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    X_train = np.random.rand(100, 784)
    y_train = {labels}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for i in range(10):
            sess.run(train, feed_dict={{x: X_train, y: y_train}}){mark}
"""

_TF1_VAE = """
    import tensorflow as tf
    from libs.utils import weight_variable, bias_variable

    def vae(n_features=784, n_hidden=2):
        x = tf.placeholder(tf.float32, [None, n_features])
        z = tf.random_normal([tf.shape(x)[0], n_hidden])
        W_dec, b_dec = weight_variable([n_hidden, n_features]), bias_variable([n_features])
        y = tf.nn.{act}(tf.matmul(z, W_dec) + b_dec)
        log_px = -tf.reduce_sum(x * tf.log(y + 1e-10) + (1 - x) * tf.log(1 - y + 1e-10), 1){mark}
        return tf.reduce_mean(log_px)
"""

CASES = {
    # -- TL302: class indices fed to a float placeholder of one-hot rows -------------------------
    "302-tf1-int-labels-fed-to-one-hot-placeholder": _TF1_ONE_HOT_PLACEHOLDER.format(
        tf_mod="", loss="tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))",
        labels="np.random.randint(0, 10, 100)", mark="  # expect: TL203, TL302"),
    "302-compat-v1-tf-losses-int-labels-fed": _TF1_ONE_HOT_PLACEHOLDER.format(
        tf_mod=".compat.v1", loss="tf.losses.softmax_cross_entropy(y, logits)",
        labels="np.random.randint(0, 10, size=(100,))", mark="  # expect: TL203, TL302"),
    "ok-302-one-hot-rows-from-identity-fed": _TF1_ONE_HOT_PLACEHOLDER.format(
        tf_mod="", loss="tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))",
        labels="np.eye(10)[np.random.randint(0, 10, 100)]", mark=""),
    "ok-302-int-labels-fed-to-sparse-loss": """
        import numpy as np
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 784])
        y = tf.placeholder(tf.int64, [None])
        logits = tf.matmul(x, tf.Variable(tf.zeros([784, 10])))
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        train = tf.train.AdamOptimizer().minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train, feed_dict={x: np.random.rand(100, 784), y: np.random.randint(0, 10, 100)})
    """,
    # -- TL302 with scikit-learn's generated data sets ------------------------------------------
    "302-make-classification-labels-with-categorical-loss": """
        from sklearn.datasets import make_classification
        from tensorflow import keras
        X, y = make_classification(1000, 20, n_classes=3, n_informative=5)
        model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(3, activation='softmax')])
        model.compile(optimizer='adam', loss='categorical_crossentropy')
        model.fit(X, y, epochs=5)  # expect: TL302
    """,
    "ok-302-make-blobs-labels-one-hot-encoded": """
        from sklearn import datasets
        from tensorflow import keras
        X, y = datasets.make_blobs(n_samples=500, n_features=4, centers=3)
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation='softmax')])
        model.compile(optimizer='adam', loss='categorical_crossentropy')
        model.fit(X, keras.utils.to_categorical(y, 3), epochs=5)
    """,
    "203-make-moons-two-features-into-wider-input": """
        from sklearn.datasets import make_moons
        from tensorflow import keras
        X, y = make_moons(n_samples=300, noise=0.2)
        model = keras.Sequential([keras.layers.Dense(8, input_shape=(3,)), keras.layers.Dense(1, activation='sigmoid')])
        model.compile(optimizer='adam', loss='binary_crossentropy')
        model.fit(X, y, epochs=5)  # expect: TL203
    """,
    # -- random.choice among options that all stand for the same value -------------------------
    "304-keras-head-activation-picked-by-random-choice": """
        import random
        import tensorflow as tf
        from sklearn.datasets import make_classification
        X, y = make_classification(1000, 31)
        act = random.choice([tf.nn.relu])
        loss = random.choice(['binary_crossentropy'])
        model = tf.keras.Sequential([tf.keras.layers.Dense(31, activation=act, input_shape=(31,)),
                                     tf.keras.layers.Dense(1, activation=act)])
        model.compile(loss=loss,  # expect: TL304
                      optimizer='sgd')
        model.fit(X, y, epochs=2)
    """,
    "ok-304-random-choice-between-different-heads": """
        import random
        import tensorflow as tf
        from sklearn.datasets import make_classification
        X, y = make_classification(1000, 31)
        act = random.choice([tf.nn.relu, tf.nn.sigmoid])
        model = tf.keras.Sequential([tf.keras.layers.Dense(31, activation='relu', input_shape=(31,)),
                                     tf.keras.layers.Dense(1, activation=act)])
        model.compile(loss='binary_crossentropy', optimizer='sgd')
        model.fit(X, y, epochs=2)
    """,
    # -- TL208 with the other elementwise Keras losses ------------------------------------------
    "208-keras-logcosh-rank-one-labels-two-outputs": """
        from keras.models import Sequential
        from keras.layers import Dense
        from sklearn.datasets import make_classification
        X_train, y_train = make_classification(1000, 20)
        model = Sequential()
        model.add(Dense(16, activation='relu', input_shape=(20,)))
        model.add(Dense(2, activation='sigmoid'))
        model.compile(loss='log_cosh', optimizer='adam')
        model.fit(X_train, y_train, epochs=5)  # expect: TL208
    """,
    "ok-208-keras-msle-targets-of-the-output-shape": """
        from tensorflow import keras
        from sklearn.datasets import make_regression
        X, y = make_regression(n_samples=200, n_features=8, n_targets=3)
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(3)])
        model.compile(loss=keras.losses.MeanSquaredLogarithmicError(), optimizer='adam')
        model.fit(X, y, epochs=5)
    """,
    # -- TL309: the log of a tanh (or linear) output plus an epsilon -----------------------------
    "309-torch-tanh-decoder-bernoulli-likelihood": """
        import torch
        import torch.nn as nn

        class Decoder(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(2, 784)

            def forward(self, z):
                return torch.tanh(self.fc(z))

        dec = Decoder()
        x = torch.rand(16, 784)
        y = dec(torch.randn(16, 2))
        nll = -(x * torch.log(y + 1e-8) + (1 - x) * torch.log(1 - y + 1e-8)).sum(1).mean()  # expect: TL309
    """,
    "ok-309-torch-sigmoid-decoder-bernoulli-likelihood": """
        import torch
        import torch.nn as nn
        fc = nn.Linear(2, 784)
        x = torch.rand(16, 784)
        y = torch.sigmoid(fc(torch.randn(16, 2)))
        nll = -(x * torch.log(y + 1e-8) + (1 - x) * torch.log(1 - y + 1e-8)).sum(1).mean()
    """,
    "309-keras-linear-head-log-with-epsilon": """
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(3)])
        x, y = tf.random.normal((8, 4)), tf.one_hot([0, 1, 2, 0, 1, 2, 0, 1], 3)
        with tf.GradientTape() as tape:
            p = model(x)
            loss = -tf.reduce_mean(tf.reduce_sum(y * tf.math.log(p + 1e-7), axis=1))  # expect: TL309
    """,
    "ok-307-309-softmax-plus-epsilon-is-neither": """
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(3)])
        x, y = tf.random.normal((8, 4)), tf.one_hot([0, 1, 2, 0, 1, 2, 0, 1], 3)
        with tf.GradientTape() as tape:
            p = tf.nn.softmax(model(x))
            loss = -tf.reduce_mean(tf.reduce_sum(y * tf.math.log(p + 1e-7), axis=1))
    """,
    "309-tf1-tanh-decoder-weights-from-an-unknown-helper": _TF1_VAE.format(act="tanh", mark="  # expect: TL309"),
    "ok-309-tf1-sigmoid-decoder-weights-from-an-unknown-helper": _TF1_VAE.format(act="sigmoid", mark=""),
    "ok-309-log-of-a-data-transform": """
        import tensorflow as tf
        from libs.data import load_signal

        signal = load_signal()
        features = tf.log(tf.tanh(signal) + 1e-6)
    """,
    # -- tf.argmax reduces its axis and has no gradient -----------------------------------------
    "402-tf-loss-on-argmax-predictions-in-tape": """
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(3)])
        x, y = tf.random.normal((8, 4)), tf.constant([0, 1, 2, 0, 1, 2, 0, 1])
        with tf.GradientTape() as tape:
            pred = tf.cast(tf.argmax(model(x), axis=1), tf.float32)
            loss = tf.reduce_mean(tf.square(pred - tf.cast(y, tf.float32)))
        grads = tape.gradient(loss, model.trainable_variables)  # expect: TL402
    """,
    "ok-402-208-argmax-only-for-accuracy": """
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(3)])
        x, y = tf.random.normal((8, 4)), tf.constant([0, 1, 2, 0, 1, 2, 0, 1])
        with tf.GradientTape() as tape:
            logits = model(x)
            loss = tf.reduce_mean(tf.keras.losses.sparse_categorical_crossentropy(y, logits, from_logits=True))
        grads = tape.gradient(loss, model.trainable_variables)
        correct = tf.cast(tf.math.argmax(logits, 1, output_type=tf.int32), tf.float32) - tf.cast(y, tf.float32)
        accuracy = tf.reduce_mean(tf.cast(tf.equal(correct, 0.0), tf.float32))
    """,
    "405-not-402-gradient-of-unwatched-constants": """
        import tensorflow as tf
        x = tf.zeros(shape=())
        with tf.GradientTape() as tape:
            y = 2 * x + 3
        grad_of_y_wrt_x = tape.gradient(y, x)  # expect: TL405
        c1, c2 = tf.constant(5.), tf.constant(3.)
        with tf.GradientTape() as tape2:
            z = 3 * c1 ** 2 + 2 * c1 * c2
        gradients = tape2.gradient(z, [c1, c2])  # expect: TL405
    """,
    "ok-405-402-watched-constant": """
        import tensorflow as tf
        x = tf.constant(3.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
        dy_dx = tape.gradient(y, x)
    """,
    # -- TL414: TF1 layer functions whose output nothing reads -----------------------------------
    "414-tf1-conv-block-computed-and-skipped": """
        import tensorflow as tf

        def discriminator(x, alpha=0.2):
            with tf.variable_scope('discriminator'):
                x1 = tf.layers.conv2d(x, 64, 3, strides=2, padding='same')
                relu1 = tf.maximum(alpha * x1, x1)
                x2 = tf.layers.conv2d(relu1, 128, 3, strides=2, padding='same')
                bn2 = tf.layers.batch_normalization(x2, training=True)
                relu2 = tf.maximum(alpha * bn2, bn2)
                relu2 = tf.layers.dropout(relu2, rate=0.5)  # expect: TL414
                x3 = tf.layers.conv2d(relu1, 256, 3, strides=2, padding='same')
                return tf.layers.dense(tf.reduce_mean(x3, (1, 2)), 1)
    """,
    "414-contrib-fully-connected-skipped": """
        import tensorflow as tf

        def generator(z):
            h1 = tf.contrib.layers.fully_connected(z, 128)
            h2 = tf.contrib.layers.fully_connected(h1, 256)  # expect: TL414
            return tf.contrib.layers.fully_connected(h1, 784, activation_fn=tf.tanh)
    """,
    "ok-414-tf1-dropout-rebinds-and-is-read": """
        import tensorflow as tf

        def discriminator(x, alpha=0.2):
            x1 = tf.layers.conv2d(x, 64, 3, strides=2, padding='same')
            relu1 = tf.maximum(alpha * x1, x1)
            relu1 = tf.layers.dropout(relu1, rate=0.5)
            x2 = tf.layers.conv2d(relu1, 128, 3, strides=2, padding='same')
            return tf.layers.dense(tf.layers.flatten(x2), 1)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_real_bug_capabilities(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in _analyze(text, name) if f.code in CODES}
    assert found == _expected(text)
