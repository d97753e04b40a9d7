"""TF1 graphs: a `tf.gradients(ys, xs)` of the program that gives None for every tensor of xs is
said at its line (ys is computed from them only through `tf.stop_gradient`, or not at all), so
what the program builds on it (a policy gradient from `grad_ys=None`) is not silently a gradient
of ones. Gradients of which some are None (a loss over every trainable variable of two networks),
`unconnected_gradients='zero'` and the gradient with respect to the stopped tensor itself say
nothing. Also: the globals a class reads when it is made (placeholders bound after `class Actor`
and before `Actor(...)`) are replayed, and a method that adds to the graph
(`actor.add_grad_to_graph(...)`) is run, so variables it trains by `apply_gradients` are trained."""
from __future__ import annotations

from tensorlint.runtime.slicer import slice_source

ACTOR_CRITIC = """\
import numpy as np
import tensorflow as tf


class Actor(object):
    def __init__(self, sess):
        self.sess = sess
        with tf.variable_scope('Actor'):
            net = tf.layers.dense(S, 16, activation=tf.nn.relu, name='l1')
            self.a = tf.layers.dense(net, 2, activation=tf.nn.tanh, name='a')
        self.params = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope='Actor')

    def add_grad_to_graph(self, a_grads):
        self.policy_grads = tf.gradients(ys=self.a, xs=self.params, grad_ys=a_grads)
        self.train_op = tf.train.AdamOptimizer(-0.001).apply_gradients(zip(self.policy_grads, self.params))


class Critic(object):
    def __init__(self, sess, a):
        self.sess = sess
        with tf.variable_scope('Critic'):
            self.a = tf.stop_gradient(a)
            w_s = tf.get_variable('w_s', [3, 16])
            w_a = tf.get_variable('w_a', [2, 16])
            net = tf.nn.relu(tf.matmul(S, w_s) + tf.matmul(self.a, w_a))
            self.q = tf.layers.dense(net, 1, name='q')
        self.loss = tf.reduce_mean(tf.squared_difference(R + 0.9 * self.q, self.q))
        self.train_op = tf.train.AdamOptimizer(0.001).minimize(self.loss)
        self.a_grads = tf.gradients(self.q, GRAD_WRT)[0]


S = tf.placeholder(tf.float32, [None, 3], name='s')
R = tf.placeholder(tf.float32, [None, 1], name='r')
sess = tf.Session()
actor = Actor(sess)
critic = Critic(sess, actor.a)
actor.add_grad_to_graph(critic.a_grads)
sess.run(tf.global_variables_initializer())
s = np.random.rand(4, 3).astype(np.float32)
sess.run(critic.train_op, feed_dict={S: s, R: np.random.rand(4, 1)})
sess.run(actor.train_op, feed_dict={S: s})
"""

def line_of(text: str, code: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if ln.strip() == code)


def none_facts(report) -> dict[int, str]:
    return {d.line: d.message for d in report.diagnostics() if d.message.startswith("tf.gradients gives None")}


def test_a_gradient_through_stop_gradient_only_is_said_at_its_line(tf_python, text_check):
    text = ACTOR_CRITIC.replace("GRAD_WRT", "a")
    report = text_check(text)
    found = none_facts(report)
    at = line_of(text, "self.a_grads = tf.gradients(self.q, a)[0]")
    assert list(found) == [at], [(d.line, d.message) for d in report.diagnostics()]
    assert f"only through an op without a gradient (tf.stop_gradient, line {line_of(text, 'self.a = tf.stop_gradient(a)')})" \
        in found[at]
    # the actor's variables are trained by its own apply_gradients, not by the critic's loss: no
    # "get no gradient" for them
    assert not [d for d in report.diagnostics() if "get no gradient" in d.message or "received no gradient" in d.message]


def test_the_gradient_with_respect_to_the_stopped_tensor_says_nothing(tf_python, text_check):
    report = text_check(ACTOR_CRITIC.replace("GRAD_WRT", "self.a"))
    assert report.status == "ok", (report.status, report.message, [(d.line, d.message) for d in report.diagnostics()])


def test_a_gradient_of_a_value_not_computed_from_the_tensor_is_said(tf_python, text_check):
    text = ACTOR_CRITIC.replace("GRAD_WRT", "a").replace("tf.matmul(self.a, w_a)", "tf.matmul(S[:, :2], w_a)")
    found = none_facts(text_check(text))
    at = line_of(text, "self.a_grads = tf.gradients(self.q, a)[0]")
    assert list(found) == [at] and "Critic/q/add:0 is not computed from it" in found[at], found


def test_some_gradients_none_or_asked_as_zeros_say_nothing(tf_python, text_check):
    for wrt in ("[a, self.a]", "a, unconnected_gradients='zero'"):
        report = text_check(ACTOR_CRITIC.replace("GRAD_WRT", wrt))
        assert not none_facts(report), (wrt, [(d.line, d.message) for d in report.diagnostics()])


def test_the_globals_a_class_reads_when_made_are_replayed_before_it_is():
    # no session step feeds S or R, nor reads what add_grad_to_graph makes
    text = ACTOR_CRITIC.replace("GRAD_WRT", "a").split("s = np.random")[0]
    kept = slice_source(text).kept_lines
    for code in ("S = tf.placeholder(tf.float32, [None, 3], name='s')", "R = tf.placeholder(tf.float32, [None, 1], name='r')",
                 "actor.add_grad_to_graph(critic.a_grads)"):
        assert line_of(text, code) in kept, code


def test_the_globals_a_function_reads_when_called_are_replayed_in_torch_too():
    text = """\
import torch
import torch.nn as nn

def make():
    return nn.Sequential(nn.Linear(FEATURES, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 1))

def hidden_size():
    return 2 * FEATURES

FEATURES = 10
HIDDEN = hidden_size()
UNUSED = 3
model = make()
out = model(torch.randn(4, FEATURES))
"""
    kept = slice_source(text).kept_lines
    assert line_of(text, "FEATURES = 10") in kept and line_of(text, "HIDDEN = hidden_size()") in kept
    assert line_of(text, "UNUSED = 3") not in kept
