"""TF1 graphs: a `minimize(loss)` without `var_list` whose loss reaches variables the program also
updates itself, with `apply_gradients` on gradients it computed (the actor of DDPG, trained by
chained `tf.gradients(a, params, grad_ys=...)`), is said at the minimize's line with those
variables and the line of the update, and it confirms TL444 there: the graph's own gradients show
that the critic's step moves the actor. What a minimize() applies itself, a `var_list`, a
`tf.stop_gradient` on the way, or the program's own update of other variables says nothing."""
from __future__ import annotations

from test_tf1_none_gradients import ACTOR_CRITIC

# test_tf1_none_gradients' actor and critic, whose critic reads the actor's output through
# READ_ACTION and minimizes its loss with VAR_LIST
CLASSES = ACTOR_CRITIC.replace("GRAD_WRT", "a").replace("tf.stop_gradient(a)", "READ_ACTION") \
    .replace(".minimize(self.loss)", ".minimize(self.loss VAR_LIST)")
CRITIC_VARIABLES = ", var_list=tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope='Critic')"

# the same, without classes: variables by scope, a plain gradient-descent step on the actor
FLAT = """\
import numpy as np
import tensorflow as tf

state = tf.placeholder(tf.float32, [None, 4])
reward = tf.placeholder(tf.float32, [None, 1])
with tf.variable_scope('policy'):
    hidden = tf.layers.dense(state, 8, activation=tf.nn.relu)
    action = tf.layers.dense(hidden, 1, activation=tf.nn.tanh)
with tf.variable_scope('value'):
    joined = tf.concat([state, READ_ACTION], axis=1)
    q_value = tf.layers.dense(tf.layers.dense(joined, 8, activation=tf.nn.relu), 1)
policy_vars = tf.trainable_variables(scope='policy')
value_loss = tf.reduce_mean(tf.square(reward - q_value))
value_step = tf.train.GradientDescentOptimizer(0.01).minimize(value_loss)
dq_da = tf.gradients(q_value, action)[0]
policy_grads = tf.gradients(action, policy_vars, grad_ys=-dq_da)
policy_step = tf.train.GradientDescentOptimizer(0.01).apply_gradients(list(zip(policy_grads, policy_vars)))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    batch = np.random.rand(8, 4).astype(np.float32)
    sess.run(value_step, feed_dict={state: batch, reward: np.random.rand(8, 1)})
    sess.run(policy_step, feed_dict={state: batch})
"""


def line_of(text: str, start: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if ln.strip().startswith(start))


def verdict(report, code: str):
    return next((v for v in report.findings if v.code == code), None)


def facts(report) -> list[str]:
    return [ln for ln in report.to_text().splitlines() if "also updates with its own gradients" in ln]


def test_a_critic_step_that_moves_the_actor_confirms_tl444(tf_python, text_check):
    text = CLASSES.replace("READ_ACTION", "a").replace(" VAR_LIST", "")
    report = text_check(text)
    at = line_of(text, "self.train_op = tf.train.AdamOptimizer(0.001).minimize(")
    found = verdict(report, "TL444")
    assert found is not None and found.line == at, [(v.code, v.line, v.verdict) for v in report.findings]
    assert found.verdict == "confirmed", (found.verdict, report.to_text())
    assert f"apply_gradients at line {line_of(text, 'self.train_op = tf.train.AdamOptimizer(-0.001)')}" in found.evidence
    assert "Actor/l1/kernel:0" in found.evidence and "4 variable(s)" in found.evidence, found.evidence


def test_the_same_written_without_classes(tf_python, text_check):
    text = FLAT.replace("READ_ACTION", "action")
    report = text_check(text)
    found = verdict(report, "TL444")
    assert found is not None and found.line == line_of(text, "value_step ="), [(v.code, v.line) for v in report.findings]
    assert found.verdict == "confirmed", (found.verdict, report.to_text())
    assert f"apply_gradients at line {line_of(text, 'policy_step =')}" in found.evidence


def test_a_stopped_action_or_a_var_list_says_nothing(tf_python, text_check):
    for text in (CLASSES.replace("READ_ACTION", "tf.stop_gradient(a)").replace(" VAR_LIST", ""),
                 CLASSES.replace("READ_ACTION", "a").replace(" VAR_LIST", CRITIC_VARIABLES),
                 FLAT.replace("READ_ACTION", "tf.stop_gradient(action)")):
        report = text_check(text)
        assert not facts(report), report.to_text()
        assert verdict(report, "TL444") is None or verdict(report, "TL444").verdict != "confirmed", report.to_text()


# two losses that share an encoder, each trained by its own minimize() without var_list, and an
# update the program makes itself of a variable no loss reaches: nothing is said
SHARED_ENCODER = """\
import numpy as np
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 5])
y = tf.placeholder(tf.float32, [None, 1])
z = tf.placeholder(tf.int32, [None])
code = tf.layers.dense(x, 8, activation=tf.nn.relu)
reg = tf.reduce_mean(tf.square(tf.layers.dense(code, 1) - y))
cls = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=z, logits=tf.layers.dense(code, 3)))
step_reg = tf.train.AdamOptimizer(0.01).minimize(reg)
step_cls = tf.train.AdamOptimizer(0.01).minimize(cls)
scale = tf.Variable(1.0, trainable=False)
own = tf.train.GradientDescentOptimizer(0.1).apply_gradients([(tf.constant(0.5), scale)])
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    feed = {x: np.random.rand(6, 5), y: np.random.rand(6, 1), z: np.random.randint(0, 3, 6)}
    sess.run([step_reg, step_cls, own], feed_dict=feed)
"""


def test_minimize_steps_that_share_an_encoder_say_nothing(tf_python, text_check):
    report = text_check(SHARED_ENCODER)
    assert report.status in ("ok", "problems"), (report.status, report.message)
    assert not facts(report), report.to_text()
