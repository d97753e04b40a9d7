"""Loss, label, reshape, numerics and hygiene rules (TL104, TL205, TL207, TL303-TL307, TL502,
TL503, TL901, and TL101/TL102/TL212 on tf.matmul) on the bug written the ways people write it:
aliases, helper functions, nn.Sequential and class models, DataLoader loops, Keras 3, tf.keras,
TF1 graph code. Each case marks its expected findings with `# expect: CODE`; every other line
must stay silent for all of these codes (the look-alikes expect nothing)."""
from __future__ import annotations

import re
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from tensorlint.fixer import apply_findings, is_applicable

CODES = {"TL101", "TL102", "TL104", "TL202", "TL205", "TL212", "TL207", "TL303", "TL304", "TL305", "TL306", "TL307", "TL502", "TL503", "TL901"}
ALL = Config(select=("ALL",))

CASES = {
    # -- TL104 ---------------------------------------------------------------------------------
    "tl104-float-labels-through-dataloader-into-nll": """
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        from torch.utils.data import DataLoader, TensorDataset

        def scores(net, batch):
            return F.log_softmax(net(batch), dim=-1)

        ds = TensorDataset(torch.randn(20, 10), torch.randint(0, 3, (20,)).float())
        model = nn.Sequential(nn.Linear(10, 16), nn.Tanh(), nn.Linear(16, 3))
        for xb, yb in DataLoader(ds, batch_size=5, shuffle=True):
            loss = F.nll_loss(scores(model, xb), yb)  # expect: TL104
    """,
    "tl104-numpy-int-labels-into-bce-helper": """
        import numpy as np
        import torch
        from torch import nn

        def make_labels(n):
            return torch.from_numpy(np.random.randint(0, 2, size=(n, 1)))

        head = nn.Sequential(nn.Linear(6, 1))
        criterion = nn.BCEWithLogitsLoss()
        loss = criterion(head(torch.randn(8, 6)), make_labels(8))  # expect: TL104
    """,
    "tl104-lookalike-long-labels-and-soft-targets": """
        import torch
        import torch.nn as nn
        net = nn.Linear(4, 3)
        x = torch.randn(8, 4)
        hard = nn.CrossEntropyLoss()(net(x), torch.randint(0, 3, (8,)))
        soft = nn.CrossEntropyLoss()(net(x), torch.softmax(torch.randn(8, 3), dim=1))
        bce = nn.BCEWithLogitsLoss()(net(x), torch.randint(0, 2, (8, 3)).float())
        mse = nn.MSELoss()(net(x), torch.randint(0, 9, (8, 3)))
    """,
    # -- TL205 ---------------------------------------------------------------------------------
    "tl205-class-model-column-vs-flat-target": """
        import torch
        import torch.nn as nn

        class Regressor(nn.Module):
            def __init__(self):
                super().__init__()
                self.net = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))

            def forward(self, x):
                return self.net(x)

        x = torch.randn(32, 5)
        y = x.sum(dim=1)
        model = Regressor()
        loss_fn = nn.SmoothL1Loss()
        loss = loss_fn(model(x), y)  # expect: TL205
    """,
    "tl205-lookalike-keras-squeezes": """
        import numpy as np
        import keras
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        pred = model(np.random.rand(16, 3).astype("float32"))
        loss = keras.losses.MeanSquaredError()(np.random.rand(16), pred)
    """,
    # -- TL207 ---------------------------------------------------------------------------------
    "tl207-flatten-size-from-other-image-size-in-forward": """
        import torch
        import torch.nn as nn

        def batch_of_images():
            return torch.randn(4, 1, 32, 32)

        imgs = batch_of_images()
        flat = torch.reshape(imgs, (4, 28 * 28))  # expect: TL207
    """,
    "tl207-lookalike-minus-one-and-shape-from-tensor": """
        import torch
        x = torch.randn(6, 4, 5)
        a = x.view(-1, 20)
        b = x.reshape(x.size(0), -1)
        c = x.view(6, 2, 2, 5)
    """,
    # -- TL303 ---------------------------------------------------------------------------------
    "tl303-tf-keras-string-loss-one-hot-labels": """
        import numpy as np
        import tensorflow as tf
        labels = tf.keras.utils.to_categorical(np.random.randint(0, 4, 100), 4)
        model = tf.keras.models.Sequential([tf.keras.layers.Dense(16, activation="relu", input_shape=(8,)), tf.keras.layers.Dense(4, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(np.random.rand(100, 8), labels, epochs=1)  # expect: TL303
    """,
    # -- TL304 ---------------------------------------------------------------------------------
    "tl304-sigmoid-in-forward-into-bce-with-logits": """
        import torch
        from torch import nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(8, 1)

            def forward(self, x):
                return torch.sigmoid(self.fc(x))

        net = Net()
        crit = nn.BCEWithLogitsLoss()
        loss = crit(net(torch.randn(4, 8)), torch.rand(4, 1))  # expect: TL304
    """,
    "tl304-tf1-softmax-into-logits-loss": """
        import tensorflow.compat.v1 as tf
        x = tf.placeholder(tf.float32, [None, 784])
        y_ = tf.placeholder(tf.float32, [None, 10])
        W = tf.Variable(tf.zeros([784, 10]))
        y = tf.nn.softmax(tf.matmul(x, W))
        xent = tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=y)  # expect: TL304
    """,
    "tl304-tf1-contrib-fully-connected-default-relu-into-logits-loss": """
        import tensorflow as tf
        from tensorflow.contrib.layers import fully_connected
        slim = tf.contrib.slim
        x = tf.placeholder(tf.float32, [None, 784])
        y = tf.placeholder(tf.float32, [None, 10])
        hidden = fully_connected(x, 256)
        logits = fully_connected(hidden, 10)
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))  # expect: TL304
        scores = slim.fully_connected(inputs=hidden, num_outputs=10, scope='head')
        head_loss = tf.losses.softmax_cross_entropy(y, scores)  # expect: TL304
        fc = tf.contrib.layers.fully_connected(hidden, 10, tf.nn.relu)
        fc_loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=fc)  # expect: TL304
    """,
    "tf1-contrib-fully-connected-lookalikes": """
        import tensorflow as tf
        from tensorflow.contrib.layers import fully_connected, batch_norm
        x = tf.placeholder(tf.float32, [None, 784])
        y = tf.placeholder(tf.float32, [None, 10])
        hidden = fully_connected(x, 256)
        logits = fully_connected(hidden, 10, activation_fn=None)
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
        linear = tf.contrib.layers.fully_connected(hidden, 10, None)
        linear_loss = tf.losses.softmax_cross_entropy(y, linear)
        normed = fully_connected(hidden, 10, normalizer_fn=batch_norm, activation_fn=None)
        normed_loss = tf.losses.softmax_cross_entropy(y, normed)
    """,
    "tf1-slim-arg-scope-sets-the-activation": """
        import tensorflow as tf
        slim = tf.contrib.slim
        x = tf.placeholder(tf.float32, [None, 784])
        y = tf.placeholder(tf.float32, [None, 10])
        with slim.arg_scope([slim.fully_connected], activation_fn=None):
            logits = slim.fully_connected(x, 10)
        loss = tf.losses.softmax_cross_entropy(y, logits)
    """,
    "tl304-keras-functional-linear-output-probability-loss": """
        import keras
        inputs = keras.Input(shape=(12,))
        out = keras.layers.Dense(1)(keras.layers.Dense(8, activation="relu")(inputs))
        model = keras.Model(inputs, out)
        model.compile(optimizer="adam", loss="binary_crossentropy")  # expect: TL304
    """,
    # -- TL305 / TL306 -------------------------------------------------------------------------
    "tl305-functional-dense-one-softmax": """
        from tensorflow import keras
        inputs = keras.Input(shape=(10,))
        h = keras.layers.Dense(8, activation="relu")(inputs)
        out = keras.layers.Dense(1, activation="softmax")(h)  # expect: TL305
    """,
    "tl305-tf-softmax-on-one-column": """
        import tensorflow as tf
        score = tf.random.normal((16, 1))
        p = tf.nn.softmax(score)  # expect: TL305
    """,
    "tl306-model-add-categorical-one-unit": """
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Dense, Dropout
        model = Sequential()
        model.add(Dense(32, activation="relu", input_dim=20))
        model.add(Dropout(0.2))
        model.add(Dense(1, activation="sigmoid"))
        model.compile(loss="categorical_crossentropy", optimizer="adam")  # expect: TL306
    """,
    # -- TL307 ---------------------------------------------------------------------------------
    "tl307-method-chain-and-helper": """
        import torch
        import torch.nn as nn

        def probabilities(logits):
            return logits.softmax(dim=-1)

        model = nn.Linear(8, 4)
        logp = probabilities(model(torch.randn(2, 8))).log()  # expect: TL307
        lp2 = torch.log(torch.softmax(model(torch.randn(2, 8)), -1))  # expect: TL307
    """,
    "tl307-lookalike-log-softmax-and-log-sigmoid": """
        import torch
        import torch.nn.functional as F
        x = torch.randn(4, 3)
        a = F.log_softmax(x, dim=1)
        b = torch.log(torch.sigmoid(x))
        c = torch.log(x.abs() + 1)
    """,
    # -- TL502 ---------------------------------------------------------------------------------
    "tl502-seed-style-scaled-with-standard-scaler": """
        import numpy as np
        from tensorflow import keras
        from sklearn.preprocessing import StandardScaler
        model = keras.Sequential([keras.Input((10,)), keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        x_train = np.concatenate((np.random.rand(500, 5), 1000 * np.random.rand(500, 5)), axis=1)
        scaler = StandardScaler()
        x_train = scaler.fit_transform(x_train)
        model.fit(x_train, np.random.randint(0, 2, 500), epochs=1)
    """,
    "tl502-unscaled-same-data": """
        import numpy as np
        from tensorflow import keras
        model = keras.Sequential([keras.Input((10,)), keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        x_train = np.concatenate((np.random.rand(500, 5), 1000 * np.random.rand(500, 5)), axis=1)
        model.fit(x_train, np.random.randint(0, 2, 500), epochs=1)  # expect: TL502
    """,
    # -- TL503 ---------------------------------------------------------------------------------
    "tl503-torch-nan-in-training-loop": """
        import torch
        import torch.nn as nn
        model = nn.Linear(3, 1)
        for step in range(5):
            loss = nn.functional.mse_loss(model(torch.randn(8, 3)), torch.randn(8, 1))
            if loss != torch.nan:  # expect: TL503
                loss.backward()
    """,
    # -- TL901 ---------------------------------------------------------------------------------
    "tl901-alias-and-keyword": """
        import torch as T
        ckpt = T.load("ckpt.pt", map_location="cpu", weights_only=False)  # expect: TL901
        ok = T.load("ckpt.pt", map_location="cpu")
    """,
    # -- TF1 graph code: dtype and shape of placeholders against weights --------------------------
    "tf1-float64-placeholder-times-float32-weights": """
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        features = tf.placeholder(tf.float64, shape=[None, 13])
        W = tf.Variable(tf.random_normal([13, 1]))
        prediction = tf.matmul(features, W)  # expect: TL102
    """,
    "tf1-int-placeholder-times-float-weights": """
        import tensorflow.compat.v1 as tf
        ids = tf.placeholder(tf.int32, [None, 20])
        W = tf.Variable(tf.truncated_normal([20, 5]))
        h = tf.matmul(ids, W)  # expect: TL101
    """,
    "tf1-weights-typo-in-shape": """
        import tensorflow as tf
        x = tf.compat.v1.placeholder(tf.float32, [None, 784])
        W = tf.Variable(tf.compat.v1.truncated_normal([748, 10], stddev=0.1))
        logits = tf.matmul(x, W)  # expect: TL212
    """,
    "tf1-lookalike-correct-graph": """
        import tensorflow.compat.v1 as tf
        x = tf.placeholder(tf.float32, [None, 784])
        y = tf.placeholder(tf.int64, [None])
        W = tf.Variable(tf.zeros([784, 10]))
        b = tf.Variable(tf.zeros([10]))
        logits = tf.matmul(x, W) + b
        xent = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        log_p = tf.nn.log_softmax(logits)
        wt = tf.matmul(W, x, transpose_b=True)
    """,
}


def _expected(text: str) -> set:
    out = set()
    for n, line in enumerate(text.splitlines(), 1):
        m = re.search(r"#\s*expect:\s*([A-Z0-9, ]+)", line)
        if m:
            out |= {(c.strip(), n) for c in m.group(1).split(",") if c.strip()}
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_bug_other_ways(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", ALL).findings if f.code in CODES}
    assert found == _expected(text)


def _fixed(text: str, code: str, unsafe: bool = False) -> str:
    findings = [f for f in analyze(text, "t.py", ALL).findings if f.code == code and is_applicable(f.fix, unsafe)]
    assert findings, f"{code} offers a fix"
    out, _ = apply_findings(text, findings)
    return out


def test_log_softmax_fix_keeps_the_users_alias():
    text = "import torch\nimport torch.nn.functional as Fn\nz = torch.randn(2, 3)\nlp = torch.log(Fn.softmax(z, dim=1))\n"
    assert _fixed(text, "TL307").splitlines()[-1] == "lp = Fn.log_softmax(z, dim=1)"


def test_nan_equality_fix_uses_the_imported_module():
    text = "import numpy as numeric\nimport torch\nx = numeric.random.rand(4)\nbad = x != numeric.nan\n"
    assert _fixed(text, "TL503").splitlines()[-1] == "bad = ~numeric.isnan(x)"
    text = "import math\nimport torch\nv = 1.5\nif v == float('nan'):\n    pass\n"
    assert "if math.isnan(v):" in _fixed(text, "TL503")


def test_target_dtype_fix_casts_the_target_argument():
    text = "import torch\nimport torch.nn as nn\nlogits = nn.Linear(4, 3)(torch.randn(5, 4))\ny = torch.tensor([0.0, 1.0, 2.0, 1.0, 0.0])\nloss = nn.CrossEntropyLoss()(logits, y)\n"
    assert _fixed(text, "TL104").splitlines()[-1] == "loss = nn.CrossEntropyLoss()(logits, y.long())"


def test_unsafe_fixes_switch_the_loss():
    text = "import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation='softmax')])\nmodel.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True))\n"
    assert "from_logits=False" in _fixed(text, "TL304", unsafe=True)
    text = "import numpy as np\nimport keras\ny = keras.utils.to_categorical(np.random.randint(0, 3, 9), 3)\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])\nmodel.compile(loss='sparse_categorical_crossentropy')\nmodel.fit(np.random.rand(9, 4), y)\n"
    assert "loss='categorical_crossentropy'" in _fixed(text, "TL303", unsafe=True)


def test_torch_load_without_weights_only_depends_on_target_version():
    text = "import torch\nstate = torch.load('model.pt')\n"
    assert not [f for f in analyze(text, "t.py", Config()).findings if f.code == "TL901"]
    old = [f for f in analyze(text, "t.py", Config(target_torch_version=(2, 4))).findings if f.code == "TL901"]
    assert [f.line for f in old] == [2] and "2.4" in old[0].message


def test_seed_scaled_features_stay_silent_with_tl502_selected():
    text = textwrap.dedent(CASES["tl502-seed-style-scaled-with-standard-scaler"])
    assert not [f for f in analyze(text, "t.py", Config(select=("TL502",))).findings]


TL302_HEAD = ("import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n"
              "model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(10, activation='softmax')])\n")
TL302_FIT = "model.fit(np.random.rand(100, 8), np.random.randint(0, 10, 100))\n"


@pytest.mark.parametrize("written, expected", [
    ("model.compile(optimizer='adam', loss='categorical_crossentropy')",
     "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')"),
    ('model.compile(loss="categorical_crossentropy", optimizer="adam")',
     'model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")'),
    ("model.compile('adam', r'categorical_crossentropy')",  # positional, with a prefix
     "model.compile('adam', r'sparse_categorical_crossentropy')"),
    ("model.compile(optimizer='adam', loss='CategoricalCrossentropy')",  # the class's name, as Keras resolves it
     "model.compile(optimizer='adam', loss='SparseCategoricalCrossentropy')"),
    ("model.compile(optimizer='adam', loss=keras.losses.categorical_crossentropy)",
     "model.compile(optimizer='adam', loss=keras.losses.sparse_categorical_crossentropy)"),
    ("model.compile(optimizer='adam', loss=tf.keras.losses.CategoricalCrossentropy())",
     "model.compile(optimizer='adam', loss=tf.keras.losses.SparseCategoricalCrossentropy())"),
])
def test_sparse_labels_fix_switches_the_loss_however_it_is_written(written, expected):
    text = TL302_HEAD + written + "\n" + TL302_FIT
    fixed = _fixed(text, "TL302", unsafe=True)
    assert fixed.splitlines()[4] == expected
    assert not [f for f in analyze(fixed, "t.py", ALL).findings if f.code == "TL302"]


def test_sparse_labels_fix_is_unsafe_only():
    text = TL302_HEAD + "model.compile(loss='categorical_crossentropy')\n" + TL302_FIT
    [finding] = [f for f in analyze(text, "t.py", ALL).findings if f.code == "TL302"]
    assert finding.fix is not None and not is_applicable(finding.fix, False)
