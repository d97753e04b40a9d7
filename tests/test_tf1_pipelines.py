"""TF1 graph programs whose values arrive through `feed_dict`, and data pipelines (tf.data with
`.map`, `next(iter(ds))`, generators, a torch `Dataset.__getitem__`, lists stacked in a loop,
`ImageDataGenerator.flow_from_directory`): the shape and label rules on the values that reach
the model and the loss that way. Each case marks its expected findings with `# expect: CODE`;
every other line must stay silent for all of these codes (the look-alikes expect nothing)."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_support import expectations  # noqa: E402

CODES = {"TL201", "TL202", "TL203", "TL204", "TL208", "TL212", "TL302", "TL303", "TL309"}
ALL = Config(select=("ALL",))

TF1 = {
    # -- labels from the TF1 MNIST helper, fed to placeholders declared without a shape ----------
    "tf1-onehot-mnist-fed-to-sparse-loss": """
        import tensorflow as tf
        from tensorflow.examples.tutorials.mnist import input_data

        mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)
        x = tf.placeholder(tf.float32)
        y_ = tf.placeholder(tf.int64)
        W = tf.Variable(tf.zeros([784, 10]))
        b = tf.Variable(tf.zeros([10]))
        logits = tf.matmul(x, W) + b
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y_, logits=logits))  # expect: TL303
        train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        for i in range(1000):
            batch_xs, batch_ys = mnist.train.next_batch(100)
            sess.run(train, feed_dict={x: batch_xs, y_: batch_ys})
    """,
    "tf1-onehot-mnist-compat-v1-tf-losses-sparse": """
        import tensorflow.compat.v1 as tf
        from tensorflow.examples.tutorials.mnist import input_data as mnist_data

        tf.disable_v2_behavior()
        data = mnist_data.read_data_sets("/tmp/mnist", one_hot=True)

        images = tf.placeholder(tf.float32, shape=[None, 784])
        labels = tf.placeholder(tf.int32)
        hidden = tf.layers.dense(images, 128, activation=tf.nn.relu)
        logits = tf.layers.dense(hidden, 10)
        loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)  # expect: TL303
        step = tf.train.AdamOptimizer(1e-3).minimize(loss)

        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(200):
                bx, by = data.train.next_batch(64)
                step.run(feed_dict={images: bx, labels: by})
    """,
    "tf1-class-index-mnist-fed-to-softmax-xent": """
        import tensorflow as tf
        from tensorflow.examples.tutorials.mnist import input_data

        mnist = input_data.read_data_sets("MNIST_data")
        x = tf.placeholder(tf.float32, [None, 784])
        y = tf.placeholder(tf.int32)
        W = tf.Variable(tf.truncated_normal([784, 10], stddev=0.1))
        logits = tf.matmul(x, W)
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))  # expect: TL302
        opt = tf.train.AdamOptimizer().minimize(cost)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for epoch in range(10):
                xb, yb = mnist.train.next_batch(128)
                _, c = sess.run([opt, cost], feed_dict={x: xb, y: yb})
    """,
    "tf1-keras-datasets-int-labels-fed-to-softmax-xent": """
        import numpy as np
        import tensorflow.compat.v1 as tf

        tf.disable_eager_execution()
        (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
        x_train = x_train.reshape(-1, 784).astype(np.float32) / 255.0
        X = tf.placeholder(tf.float32, [None, 784])
        Y = tf.placeholder(tf.int64)
        W = tf.Variable(tf.random_normal([784, 10]))
        out = tf.matmul(X, W)
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=Y, logits=out))  # expect: TL302
        train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        for i in range(0, 60000, 100):
            sess.run(train_op, {X: x_train[i:i + 100], Y: y_train[i:i + 100]})
    """,
    "tf1-feed-dict-built-in-a-function-class-indices-into-one-hot-loss": """
        import tensorflow as tf
        from tensorflow.examples.tutorials.mnist import input_data

        def build(n_in, n_out):
            x = tf.placeholder(tf.float32, [None, n_in], name="x")
            y = tf.placeholder(tf.int32, name="y")
            logits = tf.layers.dense(tf.layers.dense(x, 64, tf.nn.relu), n_out)
            loss = tf.losses.softmax_cross_entropy(y, logits)  # expect: TL302
            return x, y, loss

        def train(data, steps=100):
            x, y, loss = build(784, 10)
            op = tf.train.AdamOptimizer().minimize(loss)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                for _ in range(steps):
                    xb, yb = data.train.next_batch(50)
                    feed = {x: xb, y: yb}
                    sess.run(op, feed_dict=feed)

        if __name__ == "__main__":
            train(input_data.read_data_sets("MNIST_data"))
    """,
    # -- shapes fed that the graph cannot take ----------------------------------------------------
    "tf1-unshaped-input-times-mistyped-weights": """
        import tensorflow as tf
        from tensorflow.examples.tutorials.mnist import input_data

        mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)
        x = tf.placeholder("float")
        y = tf.placeholder("float")
        W = tf.Variable(tf.random_normal([748, 10]))
        pred = tf.nn.softmax(tf.matmul(x, W))  # expect: TL212
        cost = tf.reduce_mean(-tf.reduce_sum(y * tf.log(pred), reduction_indices=1))
        train = tf.train.GradientDescentOptimizer(0.01).minimize(cost)
        with tf.Session() as sess:
            sess.run(tf.initialize_all_variables())
            batch_xs, batch_ys = mnist.train.next_batch(100)
            sess.run(train, feed_dict={x: batch_xs, y: batch_ys})
    """,
    "tf1-images-fed-unflattened": """
        import numpy as np
        import tensorflow as tf

        X_train = np.random.rand(500, 28, 28).astype(np.float32)
        y_train = np.random.randint(0, 10, size=500)
        x = tf.placeholder(tf.float32, [None, 784])
        y = tf.placeholder(tf.int64, [None])
        W = tf.Variable(tf.random_normal([784, 10]))
        logits = tf.matmul(x, W)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for step in range(10):
                sess.run(train_op, feed_dict={x: X_train, y: y_train})  # expect: TL203
    """,
    "tf1-mnist-reshape-false-fed-to-flat-placeholder": """
        import tensorflow as tf
        from tensorflow.examples.tutorials.mnist import input_data

        mnist = input_data.read_data_sets("data", one_hot=True, reshape=False)
        x = tf.placeholder(tf.float32, shape=(None, 784))
        y = tf.placeholder(tf.float32, shape=(None, 10))
        logits = tf.layers.dense(x, 10)
        loss = tf.losses.softmax_cross_entropy(y, logits)
        train = tf.train.AdamOptimizer().minimize(loss)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        xs, ys = mnist.train.next_batch(50)
        sess.run(train, feed_dict={x: xs, y: ys})  # expect: TL203
    """,
    "tf1-labels-of-all-samples-fed-with-one-batch": """
        import numpy as np
        import tensorflow.compat.v1 as tf

        tf.disable_v2_behavior()
        data = np.random.rand(1000, 20).astype(np.float32)
        targets = np.random.rand(1000, 1).astype(np.float32)
        inputs = tf.placeholder(tf.float32, [None, 20])
        target = tf.placeholder(tf.float32, [None, 1])
        W = tf.Variable(tf.zeros([20, 1]))
        prediction = tf.matmul(inputs, W)
        loss = tf.losses.mean_squared_error(target, prediction)  # expect: TL204
        step = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(100):
                idx = np.random.randint(0, 1000, size=100)
                sess.run(step, feed_dict={inputs: data[idx], target: targets})
    """,
    "tf1-conv-weights-for-rgb-fed-grayscale": """
        import tensorflow as tf
        from tensorflow.examples.tutorials.mnist import input_data

        mnist = input_data.read_data_sets("MNIST_data", one_hot=True, reshape=False)
        x = tf.placeholder(tf.float32)
        y = tf.placeholder(tf.float32, [None, 10])
        w1 = tf.Variable(tf.truncated_normal([5, 5, 3, 32], stddev=0.1))
        h1 = tf.nn.relu(tf.nn.conv2d(x, w1, strides=[1, 1, 1, 1], padding="SAME"))  # expect: TL201
        p1 = tf.nn.max_pool(h1, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
        flat = tf.reshape(p1, [-1, 14 * 14 * 32])
        logits = tf.matmul(flat, tf.Variable(tf.zeros([14 * 14 * 32, 10])))
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))
        train = tf.train.AdamOptimizer(1e-4).minimize(loss)
        sess = tf.InteractiveSession()
        sess.run(tf.global_variables_initializer())
        for i in range(100):
            batch = mnist.train.next_batch(50)
            train.run(feed_dict={x: batch[0], y: batch[1]})
    """,
    "tf1-gan-tf-layers-discriminator-without-sigmoid-log": """
        import numpy as np
        import tensorflow as tf

        real = tf.placeholder(tf.float32, [None, 15], name="real_in")
        hidden = tf.layers.dense(real, 128, tf.nn.relu, name="l")
        prob_real = tf.layers.dense(hidden, 1, name="out")
        d_loss = -tf.reduce_mean(tf.log(prob_real))  # expect: TL309
        train_d = tf.train.AdamOptimizer(1e-4).minimize(d_loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train_d, {real: np.random.rand(64, 15)})
    """,
    # -- correct look-alikes ---------------------------------------------------------------------
    "tf1-lookalike-onehot-mnist-softmax-xent-train-and-test-feeds": """
        import tensorflow as tf
        from tensorflow.examples.tutorials.mnist import input_data

        mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)
        x = tf.placeholder(tf.float32)
        y_ = tf.placeholder(tf.float32)
        W = tf.Variable(tf.zeros([784, 10]))
        b = tf.Variable(tf.zeros([10]))
        y = tf.matmul(x, W) + b
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=y))
        train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
        correct = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
        sess = tf.InteractiveSession()
        tf.global_variables_initializer().run()
        for _ in range(1000):
            batch_xs, batch_ys = mnist.train.next_batch(100)
            sess.run(train, feed_dict={x: batch_xs, y_: batch_ys})
        print(accuracy.eval(feed_dict={x: mnist.test.images, y_: mnist.test.labels}))
    """,
    "tf1-lookalike-class-index-mnist-sparse-xent": """
        import tensorflow.compat.v1 as tf
        from tensorflow.examples.tutorials.mnist import input_data

        mnist = input_data.read_data_sets("MNIST_data")
        x = tf.placeholder(tf.float32, [None, 784])
        y = tf.placeholder(tf.int64)
        logits = tf.layers.dense(tf.layers.dense(x, 100, activation=tf.nn.relu), 10)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        train = tf.train.AdamOptimizer().minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for i in range(100):
                xb, yb = mnist.train.next_batch(100)
                sess.run(train, feed_dict={x: xb, y: yb})
            print(sess.run(loss, feed_dict={x: mnist.validation.images, y: mnist.validation.labels}))
    """,
    "tf1-lookalike-flattened-feed-and-batches-of-both": """
        import numpy as np
        import tensorflow as tf

        X_train = np.random.rand(500, 28, 28).astype(np.float32)
        y_train = np.random.randint(0, 10, size=500)
        x = tf.placeholder(tf.float32, [None, 784])
        y = tf.placeholder(tf.int64, [None])
        W = tf.Variable(tf.random_normal([784, 10]))
        logits = tf.matmul(x, W)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for start in range(0, 500, 50):
                sess.run(train_op, feed_dict={x: X_train[start:start + 50].reshape(-1, 784), y: y_train[start:start + 50]})
            sess.run(loss, feed_dict={x: X_train.reshape(500, 784), y: y_train})
    """,
    "tf1-lookalike-grayscale-conv-weights": """
        import tensorflow as tf
        from tensorflow.examples.tutorials.mnist import input_data

        mnist = input_data.read_data_sets("MNIST_data", one_hot=True, reshape=False)
        x = tf.placeholder(tf.float32)
        y = tf.placeholder(tf.float32, [None, 10])
        w1 = tf.Variable(tf.truncated_normal([5, 5, 1, 32], stddev=0.1))
        h1 = tf.nn.relu(tf.nn.conv2d(x, w1, strides=[1, 1, 1, 1], padding="SAME"))
        p1 = tf.nn.max_pool(h1, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
        flat = tf.reshape(p1, [-1, 14 * 14 * 32])
        logits = tf.matmul(flat, tf.Variable(tf.zeros([14 * 14 * 32, 10])))
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))
        train = tf.train.AdamOptimizer(1e-4).minimize(loss)
        sess = tf.InteractiveSession()
        sess.run(tf.global_variables_initializer())
        for i in range(100):
            batch = mnist.train.next_batch(50)
            train.run(feed_dict={x: batch[0], y: batch[1]})
    """,
    "tf1-lookalike-gan-tf-layers-sigmoid-given-positionally": """
        import numpy as np
        import tensorflow as tf

        real = tf.placeholder(tf.float32, [None, 15], name="real_in")
        hidden = tf.layers.dense(real, 128, tf.nn.relu, name="l")
        prob_real = tf.layers.dense(hidden, 1, tf.nn.sigmoid, name="out")
        d_loss = -tf.reduce_mean(tf.log(prob_real))
        train_d = tf.train.AdamOptimizer(1e-4).minimize(d_loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train_d, {real: np.random.rand(64, 15)})
    """,
    "tf1-lookalike-placeholder-fed-unknown-values": """
        import tensorflow as tf
        import loader

        x = tf.placeholder(tf.float32)
        y = tf.placeholder(tf.int64)
        W = tf.Variable(tf.zeros([30, 4]))
        logits = tf.matmul(x, W)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        sess = tf.Session()
        for xb, yb in loader.batches():
            sess.run(loss, feed_dict={x: xb, y: yb})
    """,
    "tf1-lookalike-different-shapes-in-different-runs": """
        import numpy as np
        import tensorflow as tf

        v = tf.placeholder(tf.float32)
        total = tf.reduce_sum(tf.matmul(v, tf.ones([3, 1])))
        sess = tf.Session()
        sess.run(total, feed_dict={v: np.ones((2, 3))})
        sess.run(total, feed_dict={v: np.ones((5, 4))})
    """,
}

PIPELINES = {
    # -- tf.data: .map(fn) runs fn on the element, next(iter(ds)) is one batch -------------------
    "tfdata-map-one-hot-into-sparse-loss": """
        import numpy as np
        import tensorflow as tf

        x = np.random.rand(1000, 28, 28).astype("float32")
        y = np.random.randint(0, 10, size=1000)

        def prep(img, label):
            return tf.reshape(img, [784]), tf.one_hot(label, 10)

        ds = tf.data.Dataset.from_tensor_slices((x, y)).map(prep).batch(32)
        model = tf.keras.Sequential([tf.keras.layers.Dense(64, activation="relu", input_shape=(784,)),
                                     tf.keras.layers.Dense(10, activation="softmax")])
        loss_fn = tf.keras.losses.SparseCategoricalCrossentropy()
        opt = tf.keras.optimizers.Adam()
        for xb, yb in ds:
            with tf.GradientTape() as tape:
                pred = model(xb)
                loss = loss_fn(yb, pred)  # expect: TL303
            grads = tape.gradient(loss, model.trainable_variables)
            opt.apply_gradients(zip(grads, model.trainable_variables))
    """,
    "tfdata-map-lambda-into-fit-categorical": """
        import numpy as np
        import tensorflow as tf
        from tensorflow import keras

        feats = np.random.rand(600, 16).astype("float32")
        cls = np.random.randint(0, 3, size=600)
        train = tf.data.Dataset.from_tensor_slices((feats, cls))
        train = train.map(lambda a, b: (a * 2.0, b)).shuffle(600).batch(20)
        model = keras.Sequential([keras.layers.Dense(3, activation="softmax")])
        model.compile(optimizer="sgd", loss="categorical_crossentropy")
        model.fit(train, epochs=5)  # expect: TL302
    """,
    "tfdata-map-reshape-wrong-for-declared-input": """
        import numpy as np
        import tensorflow as tf

        images = np.random.rand(256, 28, 28).astype("float32")
        labels = np.random.randint(0, 10, size=256)

        def to_model(img, lab):
            return tf.reshape(img, [28, 28, 1]), lab

        ds = tf.data.Dataset.from_tensor_slices((images, labels)).map(to_model).batch(16)
        model = tf.keras.Sequential([tf.keras.layers.Dense(10, input_shape=(784,))])
        model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(ds, epochs=1)  # expect: TL203
    """,
    "tfdata-next-iter-int-labels-categorical": """
        import numpy as np
        import tensorflow as tf

        x = np.random.rand(1000, 20).astype("float32")
        y = np.random.randint(0, 10, size=1000)
        ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(100).batch(32)
        xb, yb = next(iter(ds))
        model = tf.keras.Sequential([tf.keras.layers.Dense(10, activation="softmax")])
        pred = model(xb)
        loss = tf.keras.losses.CategoricalCrossentropy()(yb, pred)  # expect: TL302
    """,
    "tfdata-next-iter-batch-into-torch-style-take": """
        import numpy as np
        import tensorflow as tf
        from tensorflow import keras

        data = tf.data.Dataset.from_tensor_slices((np.zeros((64, 5), "float32"), np.zeros((64,), "int32")))
        it = iter(data.batch(8))
        inputs, targets = next(it)
        net = keras.Sequential([keras.Input((7,)), keras.layers.Dense(2)])
        net.train_on_batch(inputs, targets)  # expect: TL203
    """,
    # -- correct look-alikes ----------------------------------------------------------------------
    "tfdata-lookalike-map-int-labels-sparse": """
        import numpy as np
        import tensorflow as tf

        x = np.random.rand(1000, 28, 28).astype("float32")
        y = np.random.randint(0, 10, size=1000)

        def prep(img, label):
            return tf.reshape(img, [784]), label

        ds = tf.data.Dataset.from_tensor_slices((x, y)).map(prep).batch(32)
        model = tf.keras.Sequential([tf.keras.layers.Dense(64, activation="relu", input_shape=(784,)),
                                     tf.keras.layers.Dense(10, activation="softmax")])
        loss_fn = tf.keras.losses.SparseCategoricalCrossentropy()
        for xb, yb in ds:
            loss = loss_fn(yb, model(xb))
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(ds, epochs=2)
        xb, yb = next(iter(ds))
        loss = loss_fn(yb, model(xb))
    """,
    "tfdata-lookalike-map-unknown-function": """
        import numpy as np
        import tensorflow as tf
        from augment import augment

        x = np.random.rand(100, 784).astype("float32")
        y = np.random.randint(0, 10, size=100)
        ds = tf.data.Dataset.from_tensor_slices((x, y)).map(augment).batch(10)
        model = tf.keras.Sequential([tf.keras.layers.Dense(10, input_shape=(784,))])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        model.fit(ds, epochs=1)
    """,
    # -- Python generators yielding batches -------------------------------------------------------
    "generator-yields-wide-batches-into-linear": """
        import torch
        import torch.nn as nn

        def batches(n, bs):
            for i in range(0, n, bs):
                yield torch.randn(bs, 30), torch.randint(0, 5, (bs,))

        model = nn.Linear(20, 5)
        crit = nn.CrossEntropyLoss()
        opt = torch.optim.Adam(model.parameters())
        for xb, yb in batches(1000, 32):
            opt.zero_grad()
            loss = crit(model(xb), yb)  # expect: TL202
            loss.backward()
            opt.step()
    """,
    "generator-keras-fit-onehot-sparse-loss": """
        import numpy as np
        from tensorflow import keras

        X = np.random.rand(300, 12).astype("float32")
        Y = keras.utils.to_categorical(np.random.randint(0, 4, size=300), 4)

        def gen(bs=30):
            while True:
                idx = np.random.randint(0, 300, size=bs)
                yield X[idx], Y[idx]

        model = keras.Sequential([keras.layers.Dense(4, activation="softmax", input_shape=(12,))])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(gen(), steps_per_epoch=10, epochs=2)  # expect: TL303
    """,
    "generator-lookalike-right-width": """
        import torch
        import torch.nn as nn

        def batches(n, bs):
            for i in range(0, n, bs):
                yield torch.randn(bs, 20), torch.randint(0, 5, (bs,))

        model = nn.Linear(20, 5)
        crit = nn.CrossEntropyLoss()
        for xb, yb in batches(1000, 32):
            loss = crit(model(xb), yb)
    """,
    # -- a torch Dataset whose __getitem__ builds the sample ---------------------------------------
    "torch-dataset-getitem-flattens-to-wrong-width": """
        import numpy as np
        import torch
        import torch.nn as nn
        from torch.utils.data import Dataset, DataLoader

        class Pairs(Dataset):
            def __init__(self, n):
                self.x = np.random.rand(n, 28, 28).astype(np.float32)
                self.y = np.random.randint(0, 10, size=n)

            def __len__(self):
                return len(self.x)

            def __getitem__(self, i):
                return torch.from_numpy(self.x[i]).view(-1), torch.tensor(self.y[i])

        loader = DataLoader(Pairs(500), batch_size=16, shuffle=True)
        model = nn.Sequential(nn.Linear(100, 64), nn.ReLU(), nn.Linear(64, 10))
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        crit = nn.CrossEntropyLoss()
        for xb, yb in loader:
            opt.zero_grad()
            loss = crit(model(xb), yb)  # expect: TL202
            loss.backward()
            opt.step()
    """,
    "torch-dataset-getitem-dict-free-rgb-into-gray-conv": """
        import torch
        from torch import nn
        from torch.utils import data

        class Images(data.Dataset):
            def __len__(self):
                return 1000

            def __getitem__(self, index):
                image = torch.rand(3, 32, 32)
                label = index % 10
                return image, label

        train_loader = data.DataLoader(Images(), batch_size=64)
        net = nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.Flatten(), nn.Linear(6 * 28 * 28, 10))
        for images, labels in train_loader:
            out = net(images)  # expect: TL201
    """,
    "torch-dataset-lookalike-getitem-right-width": """
        import numpy as np
        import torch
        import torch.nn as nn
        from torch.utils.data import Dataset, DataLoader

        class Pairs(Dataset):
            def __init__(self, n):
                self.x = np.random.rand(n, 28, 28).astype(np.float32)
                self.y = np.random.randint(0, 10, size=n)

            def __len__(self):
                return len(self.x)

            def __getitem__(self, i):
                return torch.from_numpy(self.x[i]).view(-1), torch.tensor(self.y[i])

        loader = DataLoader(Pairs(500), batch_size=16, shuffle=True)
        model = nn.Sequential(nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 10))
        crit = nn.CrossEntropyLoss()
        for xb, yb in loader:
            loss = crit(model(xb), yb)
    """,
    "torch-dataset-lookalike-getitem-from-files": """
        import torch
        from torch import nn
        from torch.utils.data import Dataset, DataLoader
        from PIL import Image

        class Folder(Dataset):
            def __init__(self, paths, transform):
                self.paths, self.transform = paths, transform

            def __len__(self):
                return len(self.paths)

            def __getitem__(self, i):
                return self.transform(Image.open(self.paths[i])), 0

        loader = DataLoader(Folder(["a.png"], None), batch_size=4)
        net = nn.Conv2d(1, 6, 5)
        for images, labels in loader:
            out = net(images)
    """,
    # -- lists appended in a loop, then stacked ----------------------------------------------------
    "stacked-list-rgb-into-gray-conv": """
        import numpy as np
        import torch
        import torch.nn as nn

        xs, ys = [], []
        for i in range(100):
            xs.append(np.random.rand(3, 32, 32))
            ys.append(i % 10)
        X = torch.tensor(np.stack(xs), dtype=torch.float32)
        conv = nn.Conv2d(1, 8, 3)
        out = conv(X)  # expect: TL201
    """,
    "stacked-list-keras-int-labels-categorical": """
        import numpy as np
        from tensorflow import keras

        samples, targets = [], []
        for k in range(200):
            samples.append(np.random.rand(8))
            targets.append(np.random.randint(0, 3))
        X = np.array(samples)
        y = np.array(targets)
        model = keras.Sequential([keras.layers.Dense(3, activation="softmax", input_shape=(8,))])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        model.fit(X, y, epochs=3)  # expect: TL302
    """,
    "stacked-list-lookalike-gray": """
        import numpy as np
        import torch
        import torch.nn as nn

        xs = []
        for i in range(100):
            xs.append(np.random.rand(1, 32, 32))
        X = torch.tensor(np.stack(xs), dtype=torch.float32)
        out = nn.Conv2d(1, 8, 3)(X)
    """,
    # -- ImageDataGenerator.flow_from_directory: channels-last batches of target_size ---------------
    "flow-from-directory-channels-first-input-shape": """
        from tensorflow.keras.preprocessing.image import ImageDataGenerator
        from tensorflow.keras import layers, models

        gen = ImageDataGenerator(rescale=1. / 255)
        train = gen.flow_from_directory("data/train", target_size=(150, 150), batch_size=32, class_mode="categorical")
        model = models.Sequential([
            layers.Conv2D(32, 3, activation="relu", input_shape=(3, 150, 150)),
            layers.Flatten(),
            layers.Dense(5, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        model.fit(train, epochs=3)  # expect: TL203
    """,
    "flow-from-directory-categorical-labels-sparse-loss": """
        from keras.preprocessing.image import ImageDataGenerator
        from keras.models import Sequential
        from keras.layers import Conv2D, Flatten, Dense

        datagen = ImageDataGenerator(rescale=1 / 255.0, validation_split=0.2)
        train_it = datagen.flow_from_directory("images/", target_size=(64, 64), subset="training")
        model = Sequential()
        model.add(Conv2D(16, (3, 3), activation="relu", input_shape=(64, 64, 3)))
        model.add(Flatten())
        model.add(Dense(4, activation="softmax"))
        model.compile(loss="sparse_categorical_crossentropy", optimizer="rmsprop")
        model.fit(train_it, epochs=10)  # expect: TL303
    """,
    "flow-from-directory-grayscale-into-rgb-input": """
        import tensorflow as tf

        gen = tf.keras.preprocessing.image.ImageDataGenerator(rescale=1 / 255)
        flow = gen.flow_from_directory("x-rays", target_size=(128, 128), color_mode="grayscale", class_mode="binary")
        inp = tf.keras.Input(shape=(128, 128, 3))
        h = tf.keras.layers.Conv2D(8, 3)(inp)
        out = tf.keras.layers.Dense(1, activation="sigmoid")(tf.keras.layers.GlobalAveragePooling2D()(h))
        model = tf.keras.Model(inp, out)
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(flow, epochs=2)  # expect: TL203
    """,
    "flow-from-directory-lookalike-matching": """
        from tensorflow.keras.preprocessing.image import ImageDataGenerator
        from tensorflow.keras import layers, models

        gen = ImageDataGenerator(rescale=1. / 255)
        train = gen.flow_from_directory("data/train", target_size=(150, 150), batch_size=32)
        sparse = gen.flow_from_directory("data/train", target_size=(150, 150), class_mode="sparse")
        model = models.Sequential([
            layers.Conv2D(32, 3, activation="relu", input_shape=(150, 150, 3)),
            layers.Flatten(),
            layers.Dense(5, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        model.fit(train, epochs=3)
        other = models.clone_model(model)
        other.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        other.fit(sparse, epochs=3)
    """,
    "flow-from-directory-lookalike-unknown-size": """
        from tensorflow.keras.preprocessing.image import ImageDataGenerator
        from tensorflow.keras import layers, models
        from settings import SIZE

        gen = ImageDataGenerator(rescale=1. / 255)
        train = gen.flow_from_directory("data/train", target_size=SIZE)
        model = models.Sequential([layers.Conv2D(32, 3, input_shape=(150, 150, 3)), layers.Flatten(), layers.Dense(5)])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        model.fit(train, epochs=3)
    """,
    # -- torchvision datasets of known images and their transforms --------------------------------
    "torchvision-rgb-normalize-on-mnist": """
        import torch
        from torchvision import datasets, transforms

        transform = transforms.Compose([transforms.ToTensor(),
                                        transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])  # expect: TL201
        trainset = datasets.MNIST("~/.pytorch/MNIST_data/", download=True, train=True, transform=transform)
        trainloader = torch.utils.data.DataLoader(trainset, batch_size=64, shuffle=True)
    """,
    "torchvision-mnist-batches-into-linear-unflattened": """
        import torch
        from torch import nn, optim
        import torchvision
        import torchvision.transforms as T

        data = torchvision.datasets.FashionMNIST("data", train=False, download=True, transform=T.ToTensor())
        loader = torch.utils.data.DataLoader(data, batch_size=32)
        model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
        opt = optim.Adam(model.parameters())
        for images, labels in loader:
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(images), labels)  # expect: TL202, TL208
            loss.backward()
            opt.step()
    """,
    "torchvision-cifar-into-gray-conv": """
        import torch
        import torch.nn as nn
        from torchvision import datasets, transforms

        tr = transforms.Compose([transforms.RandomHorizontalFlip(), transforms.ToTensor(),
                                 transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
        train = torch.utils.data.DataLoader(datasets.CIFAR10("./data", train=True, transform=tr), batch_size=128)
        net = nn.Sequential(nn.Conv2d(1, 16, 3), nn.ReLU())
        for x, y in train:
            out = net(x)  # expect: TL201
    """,
    "torchvision-lookalike-gray-normalize-flattened": """
        import torch
        from torch import nn
        from torchvision import datasets, transforms

        transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
        trainset = datasets.MNIST("data", train=True, download=True, transform=transform)
        loader = torch.utils.data.DataLoader(trainset, batch_size=64, shuffle=True)
        model = nn.Sequential(nn.Linear(784, 10))
        images, labels = next(iter(loader))
        images.resize_(64, 784)
        loss = nn.CrossEntropyLoss()(model(images), labels)
        for xb, yb in loader:
            loss = nn.CrossEntropyLoss()(model(xb.view(xb.shape[0], -1)), yb)
    """,
    "torchvision-lookalike-unknown-transform": """
        import torch
        from torch import nn
        from torchvision import datasets, transforms
        from myaug import Cutout

        tr = transforms.Compose([Cutout(8), transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.2, 0.2, 0.2))])
        data = datasets.MNIST("data", transform=tr)
        gray = transforms.Compose([transforms.Grayscale(3), transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
        also = datasets.MNIST("data", transform=gray)
        for x, y in torch.utils.data.DataLoader(data, batch_size=8):
            out = nn.Conv2d(3, 8, 3)(x)
    """,
}

CASES = {**TF1, **PIPELINES}


def _findings(name: str):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    return text, [f for f in analyze(text, f"{name}.py", ALL).findings if f.code in CODES]


@pytest.mark.parametrize("name", sorted(CASES))
def test_fed_and_pipelined_values(name):
    text, findings = _findings(name)
    assert {(f.code, f.line) for f in findings} == {(code, line) for _, line, code in expectations(name, text)}
