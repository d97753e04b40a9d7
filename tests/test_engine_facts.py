"""The engine never invents a fact, and keeps the facts it has.

Each case is written the way real training scripts write it (DCGAN's `torch.full(..., dtype=
x.dtype)`, TF1 tutorials' `weight_variable(shape)`, file lists grown from `os.listdir`), with a
second variant. A case asserts what a user sees: the findings of `--select ALL`, or the value
shown on hover for a line (`# value: Tensor[...]`)."""
from __future__ import annotations

import re
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ALL = Config(select=("ALL",))


def _findings(text: str):
    return [(f.code, f.line) for f in analyze(textwrap.dedent(text), "case.py", ALL).findings]


def _values(text: str) -> dict:
    """line -> hover text of the value assigned on that line (the last one listed)."""
    out = {}
    for v in analyze(textwrap.dedent(text), "case.py", ALL, collect_values=True).values:
        out.setdefault(v.span.start.line, []).append(v.text)
    return out


def _expected_values(text: str) -> dict:
    return {i: m.group(1).strip() for i, line in enumerate(textwrap.dedent(text).splitlines(), 1)
            if (m := re.search(r"# value: (.*)$", line))}


SILENT = {
    # an explicit dtype whose value is not known is unknown, never inferred from the fill value
    "full-dtype-of-unknown-tensor": """
        import torch
        import torch.nn as nn
        criterion = nn.BCELoss()

        def train_step(netD, real_cpu, device):
            b_size = real_cpu.size(0)
            label = torch.full((b_size,), 1, dtype=real_cpu.dtype, device=device)
            output = netD(real_cpu).view(-1)
            return criterion(output, label)
    """,
    "full-dtype-keyword-variable": """
        import torch
        import torch.nn as nn

        def targets(n, dtype):
            return torch.full((n,), 0, dtype=dtype)

        loss = nn.BCEWithLogitsLoss()(torch.randn(8), targets(8, torch.float32))
    """,
    "ones-like-dtype-of-unknown": """
        import torch
        import torch.nn as nn

        def smooth(pred, ref):
            target = torch.ones(pred.shape[0], dtype=ref.dtype)
            return nn.BCELoss()(torch.sigmoid(pred), target)
    """,
    # TensorFlow reads "float" as float32
    "tf1-placeholder-float-string": """
        import tensorflow as tf
        x = tf.placeholder("float", [None, 784])
        W = tf.Variable(tf.zeros([784, 10]))
        y = tf.nn.softmax(tf.matmul(x, W))
    """,
    "tf1-compat-placeholder-float-keyword": """
        import tensorflow as tf
        x = tf.compat.v1.placeholder(dtype="float", shape=[None, 3])
        w = tf.Variable(tf.random.normal([3, 1]))
        y = tf.matmul(x, w)
    """,
    # a helper called with different lists returns different tensors
    "tf1-weight-variable-helper": """
        import tensorflow as tf

        def weight_variable(shape):
            initial = tf.truncated_normal(shape, stddev=0.1)
            return tf.Variable(initial)

        def bias_variable(shape):
            return tf.Variable(tf.constant(0.1, shape=shape))

        x = tf.placeholder(tf.float32, [None, 784])
        W1 = weight_variable([784, 256])
        h1 = tf.nn.relu(tf.matmul(x, W1) + bias_variable([256]))
        W2 = weight_variable([256, 10])
        y = tf.matmul(h1, W2) + bias_variable([10])
    """,
    "torch-helper-called-with-tuples": """
        import torch

        def make(shape):
            return torch.randn(shape)

        a = make((4, 10))
        b = make((10, 3))
        c = torch.matmul(a, b)
        d = make((3, 2))
        e = torch.matmul(c, d)
    """,
    # the legacy `.type(torch.FloatTensor)` casts
    "type-float-tensor-cast": """
        import torch
        import torch.nn as nn
        x = torch.LongTensor([[1, 2, 3, 4]])
        lin = nn.Linear(4, 2)
        y = lin(x.type(torch.FloatTensor))
    """,
    "type-cuda-float-tensor-string": """
        import torch
        import torch.nn as nn
        t = torch.LongTensor([1, 0]).type('torch.cuda.FloatTensor')
        loss = nn.BCELoss()(torch.sigmoid(torch.randn(2)), t)
    """,
    # a branch a literal argument rules out is not taken
    "branch-ruled-out-by-default-flag": """
        import torch
        import torch.nn as nn

        def prepare(x, reverse=False):
            if reverse:
                x = x.view(-1, 7)
            return x

        lin = nn.Linear(10, 2)
        y = lin(prepare(torch.randn(4, 10)))
    """,
    "branch-ruled-out-by-keyword-flag": """
        import torch
        import torch.nn as nn

        def prepare(x, flatten=True):
            if not flatten:
                return x.view(-1, 7)
            return x.flatten(1)

        lin = nn.Linear(10, 2)
        y = lin(prepare(torch.randn(4, 10), flatten=True))
    """,
    # a function reads the module's names as they are when it is called
    "global-rebound-after-last-call": """
        import torch
        import torch.nn as nn

        def train():
            x = torch.randn(8, N)
            return model(x)

        N = 10
        model = nn.Linear(10, 2)
        train()
        N = 3
    """,
    "global-data-replaced-after-evaluation": """
        import torch
        import torch.nn as nn

        def evaluate():
            return net(data)

        data = torch.randn(8, 20)
        net = nn.Sequential(nn.Linear(20, 4))
        evaluate()
        data = torch.randint(0, 5, (8,))
    """,
    # scaling pixel values into [0, 1] is normalization
    "divide-by-255-then-concatenate": """
        import numpy as np
        from tensorflow import keras
        pixels = np.random.randint(0, 256, (100, 64)).astype("float32")
        x = np.concatenate([pixels / 255.0, np.random.rand(100, 4)], axis=1)
        model = keras.Sequential([keras.Input((68,)), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, np.random.rand(100, 1))
    """,
    "mnist-divided-by-255-then-concatenated": """
        import numpy as np
        from tensorflow import keras
        (x_train, y_train), _ = keras.datasets.mnist.load_data()
        x_train = x_train.reshape(-1, 784) * (1 / 255.0)
        feats = np.concatenate([x_train, np.random.rand(60000, 3)], axis=1)
        model = keras.Sequential([keras.Input((787,)), keras.layers.Dense(10)])
        model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(feats, y_train)
    """,
    # a 0-dim operand does not widen a torch tensor
    "torch-times-numpy-scalar": """
        import numpy as np
        import torch
        import torch.nn as nn
        conv = nn.Conv2d(3, 8, 3)
        x = torch.randn(4, 3, 32, 32) * np.random.rand()
        y = conv(x)
    """,
    "torch-times-zero-dim-tensor": """
        import torch
        import torch.nn as nn
        lin = nn.Linear(5, 1)
        w = torch.tensor(0.5, dtype=torch.float64)
        y = lin(torch.randn(4, 5) * w)
    """,
    # a list grown in a loop of unknown length, unpacked into a list or tuple display: the
    # display's length is unknown (the loop's items were once taken as the whole list)
    "unpacked-grown-list-in-list-display": """
        import os
        import torch
        import torch.nn as nn
        feats = []
        for name in os.listdir("data"):
            feats.append(torch.randn(8, 16))
        x = torch.cat([*feats], 1)
        out = nn.Linear(32, 4)(x)
    """,
    "unpacked-grown-list-in-tuple-with-more-items": """
        import torch
        import torch.nn as nn
        parts = []
        for batch in loader:
            parts.append(torch.randn(8, 16))
        x = torch.cat((*parts, torch.randn(8, 16)), dim=1)
        head = nn.Linear(48, 4)
        out = head(x)
    """,
    # a Keras layer that only reshapes or drops values keeps its input's activation
    "sigmoid-output-reshaped-to-the-image": """
        import numpy as np
        from tensorflow.keras.models import Model
        from tensorflow.keras.layers import Dense, Input, Flatten, Reshape
        shape = (28, 28, 1)
        inputs = Input(shape=shape)
        h = Dense(128, activation="relu")(Flatten()(inputs))
        decoded = Dense(np.prod(shape), activation="sigmoid")(h)
        autoencoder = Model(inputs, Reshape(shape)(decoded))
        autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
    """,
    "softmax-output-flattened-and-dropped-out": """
        import tensorflow as tf
        from tensorflow import keras
        inp = keras.Input((7, 10))
        probs = keras.layers.Dense(10, activation=tf.nn.softmax)(inp)
        out = keras.layers.Dropout(0.1)(keras.layers.Reshape((70,))(probs))
        model = keras.Model(inp, out)
        model.compile(optimizer="sgd", loss=keras.losses.CategoricalCrossentropy())
    """,
    # a Sequential model whose layers the program does not show is not an empty model
    "sequential-of-unknown-layers-is-not-the-identity": """
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import Sequential
        model = Sequential(make_layers())
        images = model(tf.random.normal(shape=[16, 2]))
        images = np.reshape(images, (16, 28, 28))
    """,
    "sequential-with-unpacked-comprehension": """
        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        L = keras.layers

        def decoder(latent_dim, depth):
            return keras.Sequential([
                L.InputLayer(input_shape=(latent_dim,)),
                L.Dense(2 * 2 * 32, activation="relu"),
                L.Reshape((2, 2, 32)),
                *[L.Conv2DTranspose(32, 3, strides=2, padding="same") for _ in range(depth)],
                L.Conv2DTranspose(1, 3, padding="same"),
            ])

        images = np.reshape(decoder(2, 4)(tf.random.normal([16, 2])), (16, 32, 32))
    """,
    "gan-generator-of-a-layer-list-argument-trains": """
        import tensorflow as tf
        from tensorflow.keras import Sequential

        def build(layers):
            return Sequential(layers)

        generator = build(make_generator_layers())
        opt = tf.keras.optimizers.Adam()
        z = tf.random.normal((8, 4))
        with tf.GradientTape() as tape:
            fake = generator(z, training=True)
            g_loss = tf.reduce_mean(tf.square(fake))
        grads = tape.gradient(g_loss, generator.trainable_variables)
        opt.apply_gradients(zip(grads, generator.trainable_variables))
    """,
    "unpacked-grown-list-as-shape": """
        import os
        import torch
        dims = []
        while os.path.exists("more"):
            dims.append(3)
        x = torch.randn((*dims, 10))
        y = x.view(30, 10)
    """,
}


@pytest.mark.parametrize("name", sorted(SILENT))
def test_no_invented_fact(name):
    assert _findings(SILENT[name]) == []


def test_activation_seen_through_reshape_and_dropout():
    # the output layer's activation is still read past layers that only move or drop values
    linear = """
        from tensorflow import keras
        inp = keras.Input((32,))
        out = keras.layers.Reshape((4, 4))(keras.layers.Dense(16)(inp))
        model = keras.Model(inp, out)
        model.compile(optimizer="adam", loss="binary_crossentropy")
    """
    softmax = """
        from tensorflow import keras
        inp = keras.Input((32,))
        h = keras.layers.Dense(10, activation="softmax")(inp)
        model = keras.Model(inp, keras.layers.Dropout(0.2)(keras.layers.Flatten()(h)))
        model.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy(from_logits=True))
    """
    assert _findings(linear) == [("TL304", 6)]
    assert _findings(softmax) == [("TL304", 6)]


def test_output_layer_added_after_unknown_layers_is_known():
    # `Sequential(loaded.layers[:-1])` has layers the program does not show, then a known head
    text = """
        from tensorflow import keras
        base = keras.models.load_model("a.h5")
        clf = keras.models.Sequential(base.layers[:-1])
        clf.add(keras.layers.Dense(10, activation="softmax"))
        clf.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True), optimizer="sgd")
        binary = keras.models.Sequential(base.layers[:-1])
        binary.add(keras.layers.Dense(1, activation="sigmoid"))
        binary.compile(loss="binary_crossentropy", optimizer="sgd")
        unknown_head = keras.models.Sequential(base.layers)
        unknown_head.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True), optimizer="sgd")
    """
    # (TL308, opt-in, still wants every layer known: a custom layer before the head keeps it silent)
    assert _findings(text) == [("TL304", 6)]


def test_dcgan_labels_keep_the_dtype_of_the_data():
    text = """
        import torch
        real = torch.randn(4, 3, 64, 64)
        label = torch.full((real.size(0),), 1, dtype=real.dtype)  # value: Tensor[4] float32
        other = torch.full((4,), 1)  # value: Tensor[4] int64
    """
    _check_values(text)


VALUES = {
    # a list that grows in a loop of unknown length has an unknown length
    "listdir-append-loop": """
        import os
        import torch
        names = []
        for f in os.listdir("data"):
            names.append(f)
        x = torch.randn(len(names), 10)  # value: Tensor[?, 10] float32
    """,
    "helper-returns-appended-list": """
        import os
        import torch

        def collect(paths):
            out = []
            for p in paths:
                out.append(p)
            return out

        n = len(collect(os.listdir(".")))
        z = torch.zeros(n, 3)  # value: Tensor[?, 3] float32
    """,
    "stack-of-list-grown-in-loop": """
        import torch
        feats = []
        for batch in loader:
            feats.append(torch.randn(5))
        stacked = torch.stack(feats)  # value: Tensor[?, 5] float32
    """,
    "cat-of-list-grown-in-while": """
        import torch
        parts = []
        while more():
            parts.append(torch.randn(2, 7))
        joined = torch.cat(parts, dim=0)  # value: Tensor[?, 7] float32
    """,
    "list-made-inside-loop-keeps-its-length": """
        import torch
        for batch in loader:
            pair = []
            pair.append(torch.randn(3))
            pair.append(torch.randn(3))
            both = torch.stack(pair)  # value: Tensor[2, 3] float32
    """,
    "unrolled-loop-keeps-length": """
        import torch
        xs = []
        for i in [0, 1, 2, 3]:
            xs.append(torch.randn(6))
        s = torch.stack(xs)  # value: Tensor[4, 6] float32
    """,
    "unpacked-list-of-known-length-keeps-it": """
        import torch
        xs = []
        xs.append(torch.randn(2, 5))
        xs.append(torch.randn(2, 5))
        s = torch.cat([*xs, torch.randn(2, 5)])  # value: Tensor[6, 5] float32
        t = torch.zeros((*[4, 3], 7))  # value: Tensor[4, 3, 7] float32
    """,
    "list-extended-by-itself": """
        import torch
        xs = [torch.randn(3)]
        xs.extend(xs)
        a = torch.zeros(len(xs))  # value: Tensor[2] float32
        while more():
            xs.extend(xs)
        b = torch.stack(xs)  # value: Tensor[?, 3] float32
    """,
    # an unknown index keeps what can be known
    "integer-array-index": """
        import numpy as np
        import torch
        X = np.random.rand(100, 3, 32, 32)
        idx = np.arange(10)
        xb = X[idx]  # value: ndarray[10, 3, 32, 32] float64
        t = torch.from_numpy(X)[torch.randint(0, 100, (16,))]  # value: Tensor[16, 3, 32, 32] float64
    """,
    "unknown-index-is-not-rank-1": """
        import torch
        X = torch.randn(100, 3, 32, 32)

        def batch(idx):
            xb = X[idx]  # value: Tensor[...] float32
            return xb
    """,
    # a binary op with an unknown operand keeps the known dims
    "scale-by-unknown": """
        import torch
        x = torch.randn(8, 16)
        y = x * get_scale()  # value: Tensor[..., 8, 16] ?
    """,
    "helper-list-arguments": """
        import tensorflow as tf

        def weight_variable(shape):
            return tf.Variable(tf.truncated_normal(shape, stddev=0.1))

        W1 = weight_variable([784, 256])  # value: Tensor[784, 256] float32
        W2 = weight_variable([256, 10])  # value: Tensor[256, 10] float32
    """,
    "placeholder-float": """
        import tensorflow as tf
        x = tf.placeholder("float", [None, 784])  # value: Tensor[?, 784] float32
        d = tf.placeholder("double", [None, 2])  # value: Tensor[?, 2] float64
    """,
    "type-cast": """
        import torch
        x = torch.LongTensor([1, 2])
        y = x.type(torch.FloatTensor)  # value: Tensor[2] float32
        z = x.type(torch.cuda.DoubleTensor)  # value: Tensor[2] float64
    """,
    # concatenation with a part of unknown shape keeps the dims the parts share
    "cat-with-unknown-part": """
        import torch
        a = torch.randn(4, 8)
        b = torch.cat([a, load()], dim=0)  # value: Tensor[?, 8] ?
        c = torch.cat([a, load()], dim=-1)  # value: Tensor[4, ?] ?
    """,
}


def _check_values(text: str) -> None:
    values = _values(text)
    for line, want in _expected_values(text).items():
        assert want in values.get(line, []), (line, values.get(line))


@pytest.mark.parametrize("name", sorted(VALUES))
def test_values(name):
    _check_values(VALUES[name])


# the APIs real programs call, written the ways they call them
API_VALUES = {
    "keras1-legacy-paths-and-arguments": """
        import numpy as np
        from keras.models import Sequential
        from keras.layers.core import Dense, Dropout, Activation, Flatten
        from keras.layers.convolutional import Convolution2D, MaxPooling2D
        from keras.utils import np_utils
        from keras.optimizers import SGD
        model = Sequential()
        model.add(Convolution2D(32, 3, 3, border_mode='same', input_shape=(28, 28, 1)))
        model.add(Activation('relu'))
        model.add(MaxPooling2D(pool_size=(2, 2)))
        model.add(Flatten())
        model.add(Dense(output_dim=128))
        model.add(Dense(10))
        model.compile(loss='mse', optimizer=SGD(lr=0.01))
        y = np_utils.to_categorical(np.random.randint(0, 10, 10), 10)  # value: ndarray[10, 10] float64
        out = model.predict(np.random.rand(10, 28, 28, 1))  # value: ndarray[10, 10] float32
    """,
    "keras2-subsample-valid": """
        import numpy as np
        from keras.models import Sequential
        from keras.layers.convolutional import Conv2D
        from keras.layers.core import Flatten
        model = Sequential([Conv2D(8, (5, 5), subsample=(2, 2), border_mode='valid', input_shape=(32, 32, 3)), Flatten()])
        out = model.predict(np.random.rand(2, 32, 32, 3))  # value: ndarray[2, 1568] float32
    """,
    "star-import-and-merge-functions": """
        from tensorflow.keras.layers import *
        a = Input((8,))
        h = Dense(4, activation="relu")(a)  # value: Tensor[B, 4] float32
        m = concatenate([h, a])  # value: Tensor[B, 12] float32
        s = add([h, Dense(4)(a)])  # value: Tensor[B, 4] float32
        u = UpSampling2D()(Input((7, 7, 3)))  # value: Tensor[B, 14, 14, 3] float32
        c = Concatenate(axis=-1)([h, h])  # value: Tensor[B, 8] float32
    """,
    "tf1-nn-conv-pool-lookup-losses": """
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 28, 28, 1])
        W = tf.Variable(tf.truncated_normal([5, 5, 1, 32], stddev=0.1))
        h = tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding='SAME')  # value: Tensor[?, 28, 28, 32] float32
        p = tf.nn.max_pool(h, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='VALID')  # value: Tensor[?, 14, 14, 32] float32
        emb = tf.Variable(tf.random_uniform([1000, 64], -1.0, 1.0))
        e = tf.nn.embedding_lookup(emb, tf.placeholder(tf.int32, [None, 20]))  # value: Tensor[?, 20, 64] float32
        y = tf.placeholder(tf.float32, [None, 10])
        loss = tf.losses.softmax_cross_entropy(onehot_labels=y, logits=tf.zeros([4, 10]))  # value: Tensor[] float32
    """,
    "torch-legacy-and-containers": """
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        from collections import OrderedDict
        from torch.autograd import Variable
        net = nn.Sequential(OrderedDict([("conv", nn.Conv2d(3, 8, 3)), ("pool", nn.AdaptiveAvgPool2d(1)),
                                         ("flat", nn.Flatten()), ("fc", nn.Linear(8, 5))]))
        x = Variable(torch.randn(4, 3, 32, 32))  # value: Tensor[4, 3, 32, 32] float32
        y = net(x)  # value: Tensor[4, 5] float32
        z = torch.randn(6, 20).resize(6, 4, 5)  # value: Tensor[6, 4, 5] float32
        e = nn.EmbeddingBag(100, 12)(torch.randint(0, 100, (7, 3)))  # value: Tensor[7, 12] float32
        up = nn.Upsample(scale_factor=2)(torch.randn(1, 3, 8, 8))  # value: Tensor[1, 3, 16, 16] float32
        it = F.interpolate(torch.randn(1, 3, 8, 8), size=(16, 20))  # value: Tensor[1, 3, 16, 20] float32
    """,
    "layer-attributes": """
        import torch
        import torch.nn as nn
        fc = nn.Linear(16, 10)
        head = nn.Linear(fc.out_features, 2)
        out = head(torch.randn(3, 10))  # value: Tensor[3, 2] float32
    """,
    "numpy-makers-and-ufuncs": """
        import numpy as np
        import torch
        a = np.linspace(0, 1, 100)  # value: ndarray[100] float64
        b = np.eye(10)[np.array([1, 2, 3])]  # value: ndarray[3, 10] float64
        d = np.exp(np.random.rand(4, 5))  # value: ndarray[4, 5] float64
        e = np.maximum(np.random.rand(4, 5), 0)  # value: ndarray[4, 5] float64
        f = np.mean(np.random.rand(4, 5), axis=0)  # value: ndarray[5] float64
    """,
    # one unknown value does not wipe what the layers after it say
    "unknown-input-keeps-output-layer": """
        from tensorflow import keras
        model = keras.Sequential([keras.layers.Dense(32, activation="relu"), keras.layers.Dense(10, activation="softmax")])
        p = model.predict(load_features())  # value: ndarray[..., 10] float32
    """,
    "unmodeled-layer-keeps-later-layers": """
        import torch
        import torch.nn as nn
        net = nn.Sequential(nn.Linear(4, 8), SomeCustomBlock(), nn.Linear(8, 3))
        y = net(torch.randn(5, 4))  # value: Tensor[..., 3] float32
    """,
}


@pytest.mark.parametrize("name", sorted(API_VALUES))
def test_api_values(name):
    _check_values(API_VALUES[name])


def test_onehot_from_eye_reaches_sparse_loss():
    text = """
        import numpy as np
        from tensorflow import keras
        y = np.eye(10)[np.random.randint(0, 10, 100)]
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(10, activation="softmax")])
        model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
        model.fit(np.random.rand(100, 4), y)
    """
    assert "TL303" in {code for code, _ in _findings(text)}
