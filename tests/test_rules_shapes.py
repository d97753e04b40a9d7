"""The shape rules (TL205 on hand-written losses, TL208-TL212) on the bug written the ways people
write it: torch modules and functional calls, Keras 3 (`import keras`), tf.keras, `keras.models`
paths, the functional API, subclassed models, TF1 graph code. Each case marks its expected
findings with `# expect: CODE`; every other line must stay silent for these codes. Messages name
the shapes they compare."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from tensorlint.rule import all_rules
from test_rules_losses import _expected  # the `# expect: CODE` convention

CODES = {"TL204", "TL205", "TL208", "TL209", "TL210", "TL211", "TL212"}
ALL = Config(select=("ALL",))

CASES = {
    # -- TL208 ---------------------------------------------------------------------------------
    "tl208-gru-sequences-binary-crossentropy-tf-keras": """
        import numpy as np
        import tensorflow as tf
        x = np.random.rand(100, 20, 6)
        y = np.random.randint(0, 2, size=(100, 1))
        model = tf.keras.models.Sequential()
        model.add(tf.keras.layers.GRU(32, return_sequences=True, input_shape=(20, 6)))
        model.add(tf.keras.layers.Dense(1, activation='sigmoid'))
        model.compile(loss='binary_crossentropy', optimizer='adam')
        model.fit(x, y, epochs=3)  # expect: TL208
    """,
    "tl208-sparse-loss-on-sequence-output-keras3": """
        import numpy as np
        import keras
        x = np.random.rand(50, 30, 4)
        y = np.random.randint(0, 3, size=(50,))
        model = keras.Sequential([keras.Input((30, 4)), keras.layers.LSTM(8, return_sequences=True), keras.layers.Dense(3)])
        model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.train_on_batch(x, y)  # expect: TL208
    """,
    "tl208-subclassed-model-reshape-keeps-batch": """
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers
        data = np.random.rand(500, 8, 8)
        class Decoder(tf.keras.Model):
            def __init__(self, shape):
                super().__init__()
                self.body = tf.keras.Sequential([layers.Flatten(), layers.Dense(64), layers.Reshape(shape)])
            def call(self, x):
                return self.body(x)
        model = Decoder(data.shape)
        model.compile(optimizer='adam', loss='mse')
        model.fit(data, data)  # expect: TL208
    """,
    "tl208-bce-column-vs-flat-targets-torch": """
        import torch
        import torch.nn as nn
        head = nn.Sequential(nn.Linear(10, 1))
        x = torch.randn(16, 10)
        y = (x[:, 0] > 0).float()
        loss = nn.BCEWithLogitsLoss()(head(x), y)  # expect: TL208
    """,
    "tl208-mse-non-broadcastable-functional": """
        import torch
        import torch.nn.functional as F
        net = torch.nn.Linear(8, 10)
        out = net(torch.randn(4, 8))
        loss = F.mse_loss(out, torch.randn(4, 3))  # expect: TL208
    """,
    "tl208-batch-sizes-alone-are-tl204": """
        import torch
        import torch.nn as nn
        logits = nn.Linear(5, 3)(torch.randn(8, 5))
        loss = nn.CrossEntropyLoss()(logits, torch.randint(0, 3, (6,)))  # expect: TL204
    """,
    "tl208-hand-written-mse-wrong-head": """
        import torch
        import torch.nn as nn
        model = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 10))
        x = torch.randn(64, 12)
        y = torch.randn(64, 3)
        pred = model(x)
        loss = ((pred - y) ** 2).mean()  # expect: TL208
    """,
    "tl208-lookalikes": """
        import numpy as np
        import torch
        import torch.nn as nn
        from tensorflow import keras
        m = keras.Sequential([keras.layers.Dense(10, input_shape=(5,))])
        m.compile(optimizer='adam', loss='mse')
        m.fit(np.random.rand(8, 5), np.random.rand(8, 1))
        clf = keras.Sequential([keras.layers.Dense(4, activation='softmax', input_shape=(3,))])
        clf.compile(loss='sparse_categorical_crossentropy')
        clf.fit(np.random.rand(8, 3), np.random.randint(0, 4, (8, 1)))
        logits = nn.Linear(6, 4)(torch.randn(8, 6))
        soft = nn.CrossEntropyLoss()(logits, torch.softmax(torch.randn(8, 4), dim=1))
        bce = nn.BCELoss()(torch.sigmoid(logits), torch.rand(8, 4))
    """,
    # -- TL209 ---------------------------------------------------------------------------------
    "tl209-keras-functional-too-many-poolings": """
        import keras
        from keras import layers
        inputs = keras.Input((16, 16, 1))
        x = layers.MaxPooling2D(4)(inputs)
        x = layers.MaxPooling2D(4)(x)
        x = layers.Conv2D(8, 3)(x)  # expect: TL209
    """,
    "tl209-conv1d-kernel-longer-than-sequence": """
        import torch
        import torch.nn as nn
        signal = torch.randn(8, 2, 5)
        conv = nn.Conv1d(2, 4, kernel_size=7)
        features = conv(signal)  # expect: TL209
    """,
    "tl209-keras-cropping-larger-than-map": """
        from tensorflow import keras
        from tensorflow.keras import layers
        inputs = keras.Input(shape=(8, 8, 16))
        x = layers.Conv2D(16, 3)(inputs)
        x = layers.Cropping2D(cropping=((3, 3), (0, 0)))(x)  # expect: TL209
    """,
    "tl211-keras-unet-upsampling-odd-size": """
        import keras
        from keras import layers
        inputs = keras.Input((10, 10, 1))
        c1 = layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
        p1 = layers.MaxPooling2D()(c1)
        c2 = layers.Conv2D(16, 3, activation="relu")(p1)
        u1 = layers.Conv2DTranspose(8, 2, strides=2)(c2)
        merged = layers.concatenate([u1, c1])  # expect: TL211
    """,
    "tl209-lookalikes": """
        import torch
        import torch.nn as nn
        from tensorflow import keras
        a = nn.Conv2d(3, 8, 5, padding=2)(torch.randn(1, 3, 2, 2))
        b = nn.AdaptiveAvgPool2d(1)(torch.randn(1, 3, 1, 1))
        c = nn.ConvTranspose2d(3, 3, 3)(torch.randn(1, 3, 1, 1))
        m = keras.Sequential([keras.layers.Conv2D(4, 3, padding='same', input_shape=(1, 28, 28))])
    """,
    # -- TL210 ---------------------------------------------------------------------------------
    "tl210-input-shape-includes-batch-axis": """
        import numpy as np
        from tensorflow import keras
        x = np.random.rand(60, 28, 28, 1)
        model = keras.Sequential([
            keras.layers.Conv2D(8, 3, input_shape=x.shape),  # expect: TL210
            keras.layers.Flatten(),
            keras.layers.Dense(10),
        ])
    """,
    "tl210-torch-batchnorm2d-on-flat-features": """
        import torch
        import torch.nn as nn
        mlp = nn.Sequential(nn.Linear(20, 64), nn.BatchNorm2d(64), nn.ReLU())  # expect: TL210
        out = mlp(torch.randn(32, 20))
    """,
    "tl210-torch-mm-of-a-vector": """
        import torch
        W = torch.randn(5, 3, requires_grad=True)
        x = torch.randn(5)
        h = torch.mm(x, W)  # expect: TL210
    """,
    "tl210-lookalikes": """
        import torch
        import torch.nn as nn
        import tensorflow as tf
        seq = nn.GRU(4, 8)(torch.randn(6, 4))
        bn = nn.BatchNorm1d(8)(torch.randn(16, 8, 10))
        h = tf.matmul(tf.ones((2, 3)), tf.ones((3, 4)))
        v = torch.randn(4) @ torch.randn(4, 2)
        def encode(feats, mask, w):
            kept = torch.where(mask, feats, torch.full((), 0.0))
            return torch.bmm(nn.Linear(4, 4)(kept), w)
    """,
    "tl210-tf-keras-dense-fitted-on-1d-data": """
        import numpy as np
        import tensorflow as tf
        x = np.random.random(120)
        y = np.sqrt(x)
        net = tf.keras.models.Sequential([
            tf.keras.layers.Dense(16, activation='relu'),  # expect: TL210
            tf.keras.layers.Dense(1),
        ])
        net.compile(optimizer='adam', loss='mse')
        net.fit(x, y, batch_size=8, epochs=1, verbose=0)
    """,
    "tl210-keras3-dense-added-then-fitted-on-linspace": """
        import numpy as np
        import keras
        xs = np.linspace(-1.0, 1.0, 64)
        ys = 3.0 * xs + 0.5
        model = keras.Sequential()
        model.add(keras.layers.Dense(8, activation='tanh'))  # expect: TL210
        model.add(keras.layers.Dense(1))
        model.compile(optimizer='sgd', loss='mean_squared_error')
        model.fit(xs, ys, epochs=1, verbose=0)
    """,
    "tl210-keras-dense-called-on-a-vector": """
        import tensorflow as tf
        features = tf.constant([0.2, 0.4, 0.6])
        hidden = tf.keras.layers.Dense(4)(features)  # expect: TL210
    """,
    "tl210-tf1-flat-placeholder-into-conv2d-and-pool": """
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        images = tf.placeholder(tf.float32, shape=[None, 28 * 28], name='images')
        kernel = tf.get_variable('kernel', [3, 3, 1, 16])
        conv = tf.nn.conv2d(images, kernel, [1, 1, 1, 1], 'SAME')  # expect: TL210
        pooled = tf.nn.max_pool2d(images, ksize=2, strides=2, padding='SAME')  # expect: TL210
    """,
    "tl210-tf1-conv1d-and-conv3d-missing-an-axis": """
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        signals = tf.placeholder(tf.float32, [None, 400])
        taps = tf.Variable(tf.random.normal([9, 1, 8]))
        out = tf.nn.conv1d(signals, taps, stride=1, padding='VALID')  # expect: TL210
        volume = tf.nn.conv3d(tf.zeros([4, 32, 32, 3]), tf.zeros([3, 3, 3, 3, 8]), [1] * 5, 'SAME')  # expect: TL210
    """,
    "tl210-tf1-rank-2-reshape-reaches-conv1d-through-methods": """
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()

        def causal_conv(value, filter_, dilation):
            if dilation > 1:
                padded = tf.pad(value, [[0, 0], [dilation, 0], [0, 0]])
                return tf.nn.conv1d(padded, filter_, stride=1, padding='VALID', dilations=dilation)
            return tf.nn.conv1d(value, filter_, stride=1, padding='VALID')  # expect: TL210

        class Generator(object):
            def causal_layer(self, batch):
                weights = tf.get_variable('causal', [2, 1, 16])
                return causal_conv(batch, weights, 1)

            def network(self, batch):
                current = batch
                current = self.causal_layer(current)
                return current

            def predict(self, waveform):
                encoded = tf.cast(waveform, tf.float32)
                encoded = tf.reshape(encoded, [-1, 1])
                return self.network(encoded)

        samples = tf.placeholder(tf.int32)
        probabilities = Generator().predict(samples)
    """,
    "tl210-tf1-nn-lookalikes": """
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        images = tf.placeholder(tf.float32, shape=[None, 784])
        kernel = tf.get_variable('kernel_reshaped', [3, 3, 1, 16])
        conv = tf.nn.conv2d(tf.reshape(images, [-1, 28, 28, 1]), kernel, [1, 1, 1, 1], 'SAME')
        pooled = tf.nn.max_pool(conv, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')
        signals = tf.placeholder(tf.float32, [None, 400])
        taps = tf.get_variable('taps_expanded', [9, 1, 8])
        out = tf.nn.conv1d(tf.expand_dims(signals, -1), taps, 1, 'VALID')
    """,
    "tl210-tf2-max-pool-over-one-spatial-axis": """
        import tensorflow as tf
        steps = tf.nn.max_pool(tf.ones([8, 100, 4]), ksize=2, strides=2, padding='VALID')
        frames = tf.nn.conv2d(tf.ones([2, 16, 16, 3]), tf.ones([3, 3, 3, 8]), 1, 'SAME')
    """,
    "tl210-keras-sequential-built-without-channel-axis": """
        import keras
        cnn = keras.Sequential([
            keras.layers.Conv2D(8, 3, activation='relu'),  # expect: TL210
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(10),
        ])
        cnn.build((None, 28, 28))
    """,
    "tl210-dense-lookalikes": """
        import numpy as np
        import torch
        import tensorflow as tf
        import keras
        x = np.random.random(40)
        y = 2 * x
        declared = tf.keras.Sequential([tf.keras.layers.Dense(4, input_shape=(1,)), tf.keras.layers.Dense(1)])
        declared.compile(optimizer='adam', loss='mse')
        declared.fit(x, y, epochs=1, verbose=0)
        with_input = keras.Sequential([keras.Input((1,)), keras.layers.Dense(4), keras.layers.Dense(1)])
        with_input.compile(optimizer='adam', loss='mse')
        with_input.fit(x, y, epochs=1, verbose=0)
        reshaped = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])
        reshaped.compile(optimizer='adam', loss='mse')
        reshaped.fit(x.reshape(-1, 1), y, epochs=1, verbose=0)
        built = keras.Sequential([keras.layers.Dense(4, activation='relu'), keras.layers.Dense(1)])
        built.build((None, 1))
        built.compile(optimizer='adam', loss='mse')
        built.fit(x, y, epochs=1, verbose=0)
        first = keras.Sequential([keras.layers.Dense(4, activation='relu'), keras.layers.Dense(1)])
        first.compile(optimizer='adam', loss='mse')
        first.fit(tf.expand_dims(x, axis=-1), y, epochs=1, verbose=0)
        preds = first.predict(x, verbose=0)
        called = keras.Sequential([keras.layers.Dense(4, activation='relu'), keras.layers.Dense(1)])
        called(np.ones((2, 1)))
        called.compile(optimizer='adam', loss='mse')
        called.fit(x, y, epochs=1, verbose=0)
        per_step = keras.layers.Dense(3)(tf.ones((2, 5, 6)))
        unbatched = torch.nn.Linear(3, 2)(torch.randn(3))
    """,
    # -- TL211 ---------------------------------------------------------------------------------
    "tl211-torch-stack-of-different-lengths": """
        import torch
        emb_a = torch.randn(12, 64)
        emb_b = torch.randn(10, 64)
        pair = torch.stack([emb_a, emb_b], dim=0)  # expect: TL211
    """,
    "tl211-tf-concat-rank-differs": """
        import tensorflow as tf
        image_features = tf.random.normal((8, 128))
        meta = tf.random.normal((8,))
        joined = tf.concat([image_features, meta], axis=1)  # expect: TL211
    """,
    "tl211-lookalikes": """
        import numpy as np
        import torch
        import tensorflow as tf
        a = torch.cat([torch.randn(4, 3), torch.randn(6, 3)])
        b = tf.concat([tf.ones((2, 5)), tf.ones((2, 7))], axis=-1)
        c = np.hstack([np.zeros(3), np.ones(4)])
        d = torch.cat([torch.empty(0), torch.randn(3, 2)])
        e = np.hstack([np.zeros((2, 3, 4)), np.ones((2, 5, 4))])
    """,
    # -- TL212 ---------------------------------------------------------------------------------
    "tl212-tf2-dense-layer-by-hand": """
        import tensorflow as tf
        x = tf.random.normal((32, 20))
        W1 = tf.Variable(tf.random.normal((10, 64)))
        h = tf.nn.relu(x @ W1)  # expect: TL212
    """,
    "tl212-torch-matmul-helper": """
        import torch
        def project(features, weight):
            return torch.matmul(features, weight)  # expect: TL212
        out = project(torch.randn(8, 300), torch.randn(200, 50))
    """,
    "tl212-lookalikes": """
        import torch
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        x = tf.placeholder(tf.float32, [None, 784])
        W = tf.Variable(tf.random_normal([784, 10]))
        logits = tf.matmul(x, W)
        att = torch.randn(2, 5, 8) @ torch.randn(2, 8, 5)
        wt = tf.matmul(W, x, transpose_a=True, transpose_b=True)
    """,
    "shape-errors-a-test-expects": """
        import unittest
        import pytest
        import torch
        from tensorflow import keras
        def test_cat_rejects_mismatched_rows():
            with pytest.raises(RuntimeError):
                torch.cat([torch.randn(2, 3), torch.randn(4, 5)], dim=0)
        class ConvTest(unittest.TestCase):
            def test_kernel_larger_than_input(self):
                with self.assertRaises(ValueError):
                    keras.layers.Conv2D(4, 5)(keras.Input((3, 3, 1)))
        outside = torch.randn(4, 3) @ torch.randn(4, 3)  # expect: TL212
    """,
    # -- TL205, hand-written -------------------------------------------------------------------
    "tl205-keras-custom-train-step-square": """
        import tensorflow as tf
        import keras
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        xb = tf.random.normal((16, 4))
        yb = tf.random.normal((16,))
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.abs(model(xb) - yb))  # expect: TL205
    """,
    "tl205-torch-pow-method-sum": """
        import torch
        import torch.nn as nn
        reg = nn.Linear(3, 1)
        x = torch.randn(20, 3)
        target = torch.randn(20)
        err = reg(x) - target
        loss = err.pow(2).sum()  # expect: TL205
    """,
    "tl205-hand-written-lookalikes": """
        import torch
        import torch.nn as nn
        reg = nn.Linear(3, 1)
        x = torch.randn(20, 3)
        target = torch.randn(20, 1)
        loss = ((reg(x) - target) ** 2).mean()
        centered = ((x - x.mean(0)) ** 2).mean()
        rows = ((reg(x) - torch.randn(20)) ** 2).mean(dim=0)
    """,
}


# what each case does under real torch 2.x / TensorFlow 2.x (checked by test_cases_behave_as_declared_at_run_time)
SILENT = {  # the bug runs without an error; the evidence is the shape the loss actually sees
    "tl205-keras-custom-train-step-square": "assert tuple((model(xb) - yb).shape) == (16, 16)",
    "tl205-torch-pow-method-sum": "assert tuple(err.shape) == (20, 20)",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_bug_other_ways(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", ALL).findings if f.code in CODES}
    assert found == _expected(text)


def _message(name: str, code: str) -> str:
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    [finding] = [f for f in analyze(text, f"{name}.py", ALL).findings if f.code == code]
    return finding.message


def test_messages_name_the_shapes_they_compare():
    assert "[100, 20, 1] (rank 3 since GRU at line 6 with return_sequences=True)" in _message("tl208-gru-sequences-binary-crossentropy-tf-keras", "TL208")
    assert "`y` [100, 1] (line 4)" in _message("tl208-gru-sequences-binary-crossentropy-tf-keras", "TL208")
    assert "[8, 300]" in _message("tl212-torch-matmul-helper", "TL212") and "[200, 50]" in _message("tl212-torch-matmul-helper", "TL212")
    assert "has rank 5" in _message("tl210-input-shape-includes-batch-axis", "TL210")
    assert "[12, 64]" in _message("tl211-torch-stack-of-different-lengths", "TL211")
    assert "output length of -1" in _message("tl209-conv1d-kernel-longer-than-sequence", "TL209")


def test_findings_point_at_where_the_values_were_made():
    text = textwrap.dedent(CASES["tl211-torch-stack-of-different-lengths"]).lstrip("\n")
    [finding] = [f for f in analyze(text, "t.py", ALL).findings if f.code == "TL211"]
    assert sorted(r.span.start.line for r in finding.related) == [2, 3]


RULE_EXAMPLES = ("TL205", "TL208", "TL209", "TL210", "TL211", "TL212")
SILENT_EXAMPLES = {("TL205", 0), ("TL205", 1), ("TL205", 2), ("TL205", 5), ("TL208", 0)}  # run, with the broadcast shape

DRIVER = r"""
import json, os, sys, warnings
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
warnings.simplefilter("ignore")
cases = json.loads(sys.stdin.read())
out = {}
# TF1 graph mode, once switched on, stays on for the process: those cases run last
for name, (code, probe) in sorted(cases.items(), key=lambda kv: "disable_v2_behavior" in kv[1][0]):
    ns = {"__name__": "__main__"}
    try:
        exec(compile(code, name, "exec"), ns)
        if probe:
            exec(probe, ns)
        out[name] = "ran"
    except Exception as err:
        out[name] = "raised " + type(err).__name__ + ": " + (str(err).strip().splitlines() or [""])[0][:200]
print("@@RESULT@@" + json.dumps(out))
"""


def _have_frameworks() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("torch", "tensorflow", "keras"))


@pytest.mark.skipif(not _have_frameworks(), reason="needs torch, tensorflow and keras to run the cases")
def test_cases_behave_as_declared_at_run_time():
    """Every case is a real program: a case with an expected finding raises under torch /
    TensorFlow (or, for the silent bugs in SILENT, runs and shows the broadcast shape), every
    look-alike runs. One subprocess for all cases keeps the cost to one import of each framework."""
    import json
    import subprocess
    import sys

    payload = {name: (textwrap.dedent(text).lstrip("\n"), SILENT.get(name, "")) for name, text in CASES.items()}
    examples = {}  # the rules' own examples: failing ones raise (or run, for silent bugs), the others run
    for rule in all_rules():
        if rule.code in RULE_EXAMPLES:
            for kind in ("failing", "passing", "lookalikes"):
                for i, text in enumerate(getattr(rule, kind)):
                    name = f"{rule.code}-{kind}-{i}"
                    examples[name] = "ran" if kind != "failing" or (rule.code, i) in SILENT_EXAMPLES else "raised"
                    payload[name] = (text, "")
    proc = subprocess.run([sys.executable, "-c", DRIVER], input=json.dumps(payload), capture_output=True, text=True,
                          timeout=600, env={**__import__("os").environ, "CUDA_VISIBLE_DEVICES": "", "KERAS_BACKEND": "tensorflow"})
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("@@RESULT@@")]
    assert line, proc.stderr[-2000:]
    results = json.loads(line[-1][len("@@RESULT@@"):])
    wrong = {}
    for name, text in CASES.items():
        buggy = bool(_expected(textwrap.dedent(text)))
        want = "ran" if not buggy or name in SILENT else "raised"
        if not results[name].startswith(want):
            wrong[name] = results[name]
    wrong.update({name: results[name] for name, want in examples.items() if not results[name].startswith(want)})
    assert not wrong, wrong
