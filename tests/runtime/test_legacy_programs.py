"""Programs written for older frameworks or run as part of a project: TensorFlow 0.x names and
argument orders in a TF1 graph, Keras 2's preprocessing modules, argparse refusing the check's
missing arguments, a module of a package with relative imports."""
from __future__ import annotations

from tensorlint.runtime import Options, run_shapecheck


def errors(report):
    return [d for d in report.diagnostics() if d.severity == "error" and d.kind in ("error", "user-setup")]


TF0 = """\
import numpy as np
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 4])
y = tf.placeholder(tf.float32, [None, 3])
w1 = tf.Variable(tf.random_normal([4, 5]))
w2 = tf.Variable(tf.random_normal([4, 5]))
h = tf.concat(1, [tf.matmul(x, w1), tf.matmul(x, w2)])
w3 = tf.Variable(tf.random_normal([{rows}, 3]))
logits = tf.mul(tf.matmul(h, w3), 2.0)
logits = tf.reshape(logits, tf.pack([tf.shape(x)[0], 3]))
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits, y))
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
init = tf.initialize_all_variables()
with tf.Session() as sess:
    sess.run(init)
    for step in range(5):
        sess.run(train_op, feed_dict={{x: np.random.rand(8, 4), y: np.eye(3)[np.random.randint(0, 3, 8)]}})
"""


def test_tensorflow_0x_names_and_argument_orders_run_and_say_so(tf_python, text_check):
    report = text_check(TF0.format(rows=10))
    assert report.status == "ok", (report.message, report.setup_errors)
    notes = "\n".join(report.notes)
    for old in ("tf.pack", "tf.mul", "tf.initialize_all_variables", "tf.concat(axis, values)",
                "tf.nn.softmax_cross_entropy_with_logits(logits, labels)"):
        assert f"`{old}` is TensorFlow 0.x's" in notes, old
    assert report.call(13, "loss")["gradients"]["no_grad"] == []


def test_a_shape_bug_in_a_tensorflow_0x_graph_is_still_the_programs_error(tf_python, text_check):
    report = text_check(TF0.format(rows=5))  # h has 10 columns
    assert report.status == "errors"
    assert [d.line for d in errors(report)] == [10]
    assert "are 10 and 5" in errors(report)[0].message


KERAS2_TEXT = """\
import numpy as np
from keras.preprocessing.text import Tokenizer
from keras.preprocessing.sequence import pad_sequences
from keras.models import Sequential
from keras.layers import Dense, Embedding, GlobalAveragePooling1D

texts = ["the cat sat", "the dog ran far away", "a cat and a dog"]
tokenizer = Tokenizer(num_words=50)
tokenizer.fit_on_texts(texts)
data = pad_sequences(tokenizer.texts_to_sequences(texts), maxlen=6)
labels = np.array([0, 1, 1])
model = Sequential([Embedding(len(tokenizer.word_index) + 1, 8), GlobalAveragePooling1D(), Dense(1, activation="sigmoid")])
model.compile(loss="binary_crossentropy", optimizer="adam")
model.fit(data, labels, epochs=1)
"""


def test_keras2_preprocessing_text_is_found_in_keras3s_legacy_package(tf_python, text_check):
    report = text_check(KERAS2_TEXT)
    assert report.status == "ok", (report.message, report.setup_errors)
    assert report.call(14, "forward")["layers"][0]["input"]["shape"] == [3, 6]
    assert any("keras.preprocessing.text" in n for n in report.notes)


ARGPARSE = """\
import argparse
import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("data")
parser.add_argument("--hidden", type=int, default=8)
args = parser.parse_args()
model = nn.Linear(4, args.hidden)
out = model(torch.randn(2, 4))
"""


def test_argparse_refusing_missing_arguments_is_reported_with_its_words(torch_python, text_check):
    # a required number: nothing the program establishes gives one, so argparse's refusal stays
    report = text_check(ARGPARSE.replace('parser.add_argument("data")\n', 'parser.add_argument("width", type=int)\n'))
    assert report.status == "could-not-check"
    assert "the following arguments are required: width" in report.message and "--args" in report.message
    assert errors(report) == []
    # a required path the program never reads: it runs with a path that does not exist, and says so
    placeholder = text_check(ARGPARSE)
    assert placeholder.status == "ok", placeholder.message
    assert any("requires arguments (data)" in n and "a path that does not exist" in n for n in placeholder.notes), placeholder.notes
    given = text_check(ARGPARSE, argv=["train.csv"])
    assert given.status == "ok", given.message


def test_a_module_of_a_package_runs_with_its_relative_imports(torch_python, tmp_path):
    package = tmp_path / "project" / "nets"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "blocks.py").write_text("import torch.nn as nn\n\ndef block(n):\n    return nn.Linear(n, 3)\n")
    (package / "train.py").write_text(
        "import torch\nfrom .blocks import block\nfrom . import blocks\n\n"
        "model = block(6)\nout = model(torch.randn(5, 7))\n")
    report = run_shapecheck(str(package / "train.py"), None, Options(python=torch_python, timeout=180))
    assert report.status == "errors", report.message
    assert [d.line for d in errors(report)] == [6]
    (package / "__init__.py").unlink()  # a plain folder: `python train.py` cannot import `.blocks` either
    report = run_shapecheck(str(package / "train.py"), None, Options(python=torch_python, timeout=180))
    assert report.status == "could-not-check"
    assert errors(report) == []
    assert "no __init__.py" in report.message


SCALARS = """\
import numpy as np
import tensorflow as tf

X = tf.constant([-7.0, -4.0, -1.0, 2.0, 5.0, 8.0])
y = X + 10.0
model = tf.keras.Sequential([tf.keras.layers.Dense({units})])
model.compile(loss="mae", optimizer="sgd")
model.fit(tf.expand_dims(X, axis=-1), y, epochs=1)
model.{call}
"""


def test_a_list_of_numbers_is_one_array_as_keras2_reads_it(tf_python, text_check):
    # `model.predict([17.0])` ran under tf.keras 2 (the program's own notebook shows its output);
    # Keras 3 refuses the list, which is no bug of the program
    for call in ("predict([17.0])", "predict(x=[[17.0], [3.0]])", "evaluate([1.0, 2.0], [11.0, 12.0])",
                 "fit([[1.0], [2.0]], [11.0, 12.0], epochs=1)"):
        report = text_check(SCALARS.format(units=1, call=call))
        assert errors(report) == [], (call, report.message)
        assert report.status == "ok", (call, report.message)
        assert any("a list of numbers, were read as one array" in n for n in report.notes), (call, report.notes)


def test_a_list_of_numbers_of_the_wrong_width_is_still_the_programs_error(tf_python, text_check):
    report = text_check(SCALARS.format(units=1, call="predict([[17.0, 3.0, 1.0]])"))
    assert report.status == "errors", report.message
    assert [d.line for d in errors(report)] == [9]


def test_a_list_of_arrays_for_a_model_with_two_inputs_is_left_as_it_is(tf_python, text_check):
    report = text_check("""\
import numpy as np
from tensorflow import keras

a = keras.Input(shape=(3,))
b = keras.Input(shape=(2,))
out = keras.layers.Dense(1)(keras.layers.concatenate([a, b]))
model = keras.Model([a, b], out)
model.compile(loss="mse", optimizer="adam")
model.fit([np.random.rand(8, 3), np.random.rand(8, 2)], np.random.rand(8, 1), epochs=1)
""")
    assert report.status == "ok", report.message
    assert not any("a list of numbers" in n for n in report.notes)
