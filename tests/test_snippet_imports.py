"""A snippet that leaves its imports out is read with the conventional ones.

Programs posted with a question often start at `model = Sequential()` or `nn.Linear(...)`: a
name that nothing in the file binds, anywhere, reads as the module or class that name always
means in tutorials and documentation (`np`, `nn`, `F`, `optim`, `tf`, `layers`, `Dense`,
`Sequential`, `to_categorical`). A name the file binds anywhere (an assignment, a parameter, a
def, another import, a `*` import, names made by `exec`/`globals()`), or a bare lowercase name
with no single reading, stays unknown."""
from __future__ import annotations

import subprocess
import sys
import textwrap

from tensorlint.config import Config
from tensorlint.engine import analyze

ALL = Config(select=("ALL",))


def _codes(text: str) -> list:
    return sorted({(f.code, f.line) for f in analyze(textwrap.dedent(text), "snippet.py", ALL).findings
                   if f.code not in ("TL003", "TL308")})


def test_keras_single_unit_softmax_without_imports():
    assert _codes("""\
        model = Sequential()
        model.add(Dense(4, activation='relu', input_shape=(4,)))
        model.add(Dense(1, activation='softmax'))
        model.compile(optimizer='adam', loss='binary_crossentropy')
    """) == [("TL305", 3)]


def test_keras_through_layers_alias_without_imports():
    assert _codes("""\
        model = keras.Sequential([
            layers.Dense(16, activation="relu", input_shape=(30,)),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss=keras.losses.categorical_crossentropy)
    """) == [("TL306", 5)]


def test_tf_keras_spelled_out_without_imports():
    assert _codes("""\
        model = tf.keras.models.Sequential()
        model.add(tf.keras.layers.Dense(3, activation='sigmoid', input_dim=4))
        model.compile(loss='categorical_crossentropy', optimizer='adam')
    """) == [("TL304", 3)]


def test_torch_linear_mismatch_without_imports():
    assert _codes("""\
        model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(64, 10))
        x = torch.randn(8, 784)
        out = model(x)
    """) == [("TL202", 1)]


def test_torch_functional_alias_without_imports():
    assert _codes("""\
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(20, 5)

            def forward(self, x):
                return F.relu(self.fc(x))

        net = Net()
        y = net(torch.zeros(4, 10))
    """) == [("TL202", 10)]


def test_correct_snippets_stay_silent():
    assert _codes("""\
        model = Sequential()
        model.add(Dense(4, activation='relu', input_shape=(4,)))
        model.add(Dense(3, activation='softmax'))
        model.compile(optimizer='adam', loss='categorical_crossentropy')
        net = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
        out = net(torch.randn(8, 784))
    """) == []


def test_a_name_the_file_binds_is_not_read_as_the_import():
    # `Dense` is the program's own function, defined after its use: not the Keras layer
    assert _codes("""\
        model = Sequential()
        model.add(Dense(1, activation='softmax'))

        def Dense(units, activation=None):
            return units
    """) == []
    # `nn` is a parameter somewhere in the file
    assert _codes("""\
        def build(nn):
            return nn

        model = nn.Sequential(nn.Linear(784, 128), nn.Linear(64, 10))
        out = model(torch.randn(8, 784))
    """) == []


def test_star_imports_and_runtime_names_keep_names_unknown():
    assert _codes("""\
        from mytools import *
        model = Sequential()
        model.add(Dense(1, activation='softmax'))
        model.compile(optimizer='adam', loss='binary_crossentropy')
    """) == []
    assert _codes("""\
        globals().update(load_names())
        model = Sequential()
        model.add(Dense(1, activation='softmax'))
        model.compile(optimizer='adam', loss='binary_crossentropy')
    """) == []


def test_a_name_spelled_in_lines_that_do_not_parse_stays_unknown(tmp_path):
    # the import of `layers` holds non-breaking spaces (a notebook exported from a web page):
    # the analysis cannot read it, but it binds `layers`; nor can it read the second Input, so
    # the LSTM would seem to take the first one
    nbsp = "\u00a0"
    text = (
        "from tensorflow import keras\n"
        f"from tensorflow.keras{nbsp}import{nbsp}layers\n"
        "inputs = keras.Input(shape=(num_features,))\n"
        f"x = layers.Dense(32,{nbsp}activation='relu')(inputs)\n"
        f"inputs = keras.Input(shape=(num_timesteps,{nbsp}num_features))\n"
        "x = layers.LSTM(32)(inputs)\n"
    )
    path = tmp_path / "chapter.py"
    path.write_text(text, encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "ALL", str(path)],
                         capture_output=True, text=True)
    assert "TL001" in out.stdout and "TL210" not in out.stdout


def test_torch_file_does_not_read_bare_names_as_keras():
    # the file imports torch and nothing of Keras: a bare `Sequential` is not Keras' class
    assert _codes("""\
        import torch
        model = Sequential()
        model.add(Dense(1, activation='softmax'))
        model.compile(optimizer='adam', loss='binary_crossentropy')
    """) == []


def test_bad_snippets_do_not_crash():
    for text in ("nn.", "Dense(", "tf.placeholder(\n", "layers.Dense(1)(", "Sequential()[0](nn)"):
        analyze(text, "snippet.py", ALL)


def test_cli_on_a_snippet_file(tmp_path):
    path = tmp_path / "post.py"
    path.write_text(textwrap.dedent("""\
        model = Sequential()
        model.add(Dense(64, activation='relu', input_dim=20))
        model.add(Dense(1, activation='softmax'))
        model.compile(loss='binary_crossentropy', optimizer='sgd', metrics=['accuracy'])
    """))
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", str(path)], capture_output=True, text=True)
    assert "TL305" in out.stdout and ":3:" in out.stdout
