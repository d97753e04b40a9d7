"""A layer with weights that a trained Keras model holds but that no call of the run ever uses:
Keras makes a layer's weights on its first call, so the layer has none and does not train (the
Keras twin of PyTorch's parameters without a gradient). Reported at the line that made it, once
the run has ended (a layer that only a later call uses, an evaluation, is not reported)."""
from __future__ import annotations

SUBCLASSED = """\
import numpy as np
import tensorflow as tf
from tensorflow.keras import Model, layers


class Net(Model):
    def __init__(self):
        super().__init__()
        self.fc1 = layers.Dense(16, activation="relu")
        self.fc2 = {second}
        self.out = layers.Dense(3)

    def call(self, x, training=False):
        x = self.fc1(x)
{body}
        return self.out(x)


net = Net()
optimizer = tf.optimizers.SGD(0.1)
x = np.random.rand(8, 5).astype("float32")
y = np.random.randint(0, 3, 8)
{train}
{after}
"""
TAPE = """\
with tf.GradientTape() as tape:
    logits = net(x, training=True)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
grads = tape.gradient(loss, net.trainable_variables)
optimizer.apply_gradients(zip(grads, net.trainable_variables))"""
FIT = """\
net.compile(loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), optimizer=optimizer)
net.fit(x, y, epochs=3)"""


def program(second="layers.Dense(16, activation='relu')", body="", train=TAPE, after=""):
    return SUBCLASSED.format(second=second, body=body, train=train, after=after)


def never_called(report):
    return [d for d in report.diagnostics() if d.kind == "layer" and "is never called" in d.message]


def test_a_layer_the_trained_model_never_calls_is_reported_where_it_is_made(tf_python, text_check):
    for second, train in (("layers.Dense(16, activation='relu')", TAPE), ("layers.Dense(16, activation='relu')", FIT),
                          ("tf.keras.Sequential([layers.Dense(16), layers.Dense(16)])", TAPE)):
        report = text_check(program(second=second, train=train))
        found = never_called(report)
        assert report.status == "problems", (second, train[:20], report.message)
        assert [d.line for d in found] == [10], (second, train[:20], report.message)  # self.fc2 = ...


def test_layers_that_run_make_no_weights_or_whose_model_is_not_trained_are_silent(tf_python, text_check):
    cases = [
        {"body": "        x = self.fc2(x)"},  # the layer is called
        {"second": "layers.Dropout(0.5)"},  # no weights to make
        {"train": "probs = net.predict(x)"},  # the model is not trained
        # only an evaluation call uses it, after the training step
        {"body": "        if not training:\n            x = self.fc2(x)", "after": "evaluation = net(x, training=False)"},
    ]
    for case in cases:
        report = text_check(program(**case))
        assert never_called(report) == [], (case, report.message)
        assert report.status == "ok", (case, report.message)
