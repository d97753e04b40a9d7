"""TL417: batch normalization in a TF1 graph whose UPDATE_OPS collection is never run. Under
tf.compat.v1 (with the legacy Keras layers) the moving mean of such a layer stays 0 after training
steps, and becomes nonzero once the train op is built under the collection's control dependencies."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL417",))

BUGS = {
    # TF1 style, the training flag fed through a placeholder_with_default, two train ops of a GAN
    "gan-two-train-ops": ("""
        import tensorflow as tf

        def generator(z, training):
            with tf.variable_scope('gen'):
                h = tf.layers.dense(z, 4 * 4 * 64)
                h = tf.layers.batch_normalization(h, training=training)
                return tf.tanh(tf.layers.dense(tf.nn.relu(h), 784))

        def discriminator(x, reuse=False):
            with tf.variable_scope('disc', reuse=reuse):
                h = tf.layers.dense(x, 128)
                h = tf.layers.batch_normalization(h, training=True)
                return tf.layers.dense(tf.maximum(0.2 * h, h), 1)

        z = tf.placeholder(tf.float32, [None, 100])
        real = tf.placeholder(tf.float32, [None, 784])
        is_train = tf.placeholder_with_default(True, ())
        fake = generator(z, is_train)
        d_loss = tf.reduce_mean(discriminator(fake) - discriminator(real, reuse=True))
        g_loss = -tf.reduce_mean(discriminator(fake, reuse=True))
        d_opt = tf.train.AdamOptimizer(2e-4, beta1=0.5).minimize(d_loss)
        g_opt = tf.train.AdamOptimizer(2e-4, beta1=0.5).minimize(g_loss)

        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
    """, [21, 22]),
    # tf.compat.v1, contrib batch_norm (training by default), compute/apply gradients by hand
    "compat-contrib-apply-gradients": ("""
        import tensorflow.compat.v1 as tf

        x = tf.placeholder(tf.float32, [None, 32, 32, 3])
        y = tf.placeholder(tf.int32, [None])
        h = tf.contrib.layers.batch_norm(tf.layers.conv2d(x, 16, 3))
        logits = tf.layers.dense(tf.layers.flatten(h), 10)
        loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
        opt = tf.train.GradientDescentOptimizer(0.1)
        grads_and_vars = opt.compute_gradients(loss)
        train_step = opt.apply_gradients(grads_and_vars)
        sess = tf.Session()
        sess.run(train_step, feed_dict={x: None, y: None})
    """, [10]),
    # an estimator's model_fn: the estimator does not run the collection either
    "estimator-model-fn": ("""
        import tensorflow as tf

        def model_fn(features, labels, mode):
            training = mode == tf.estimator.ModeKeys.TRAIN
            h = tf.compat.v1.layers.batch_normalization(features['x'], training=training)
            logits = tf.compat.v1.layers.dense(h, 3)
            loss = tf.compat.v1.losses.sparse_softmax_cross_entropy(labels, logits)
            train_op = tf.compat.v1.train.AdamOptimizer().minimize(loss, global_step=tf.compat.v1.train.get_global_step())
            return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)

        est = tf.estimator.Estimator(model_fn)
    """, [8]),
}

LOOKALIKES = {
    "control-dependencies-on-collection": """
        import tensorflow as tf

        x = tf.placeholder(tf.float32, [None, 8])
        training = tf.placeholder(tf.bool)
        h = tf.layers.batch_normalization(tf.layers.dense(x, 8), training=training)
        loss = tf.reduce_mean(tf.square(h))
        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        with tf.control_dependencies(update_ops):
            train_op = tf.train.AdamOptimizer().minimize(loss)
        sess = tf.Session()
    """,
    "updates-grouped-with-train-op": """
        import tensorflow.compat.v1 as tf

        x = tf.placeholder(tf.float32, [None, 8])
        h = tf.layers.batch_normalization(x, training=True)
        step = tf.train.AdamOptimizer().minimize(tf.reduce_mean(h ** 2))
        train_op = tf.group(step, *tf.get_collection('update_ops'))
        sess = tf.Session()
    """,
    "slim-create-train-op": """
        import tensorflow as tf
        slim = tf.contrib.slim

        x = tf.placeholder(tf.float32, [None, 8])
        h = tf.contrib.layers.batch_norm(x, is_training=True)
        loss = tf.reduce_mean(h ** 2)
        opt = tf.train.AdamOptimizer()
        train_op = slim.learning.create_train_op(loss, opt)
        opt.minimize(loss)
        sess = tf.Session()
    """,
    "no-batch-norm": """
        import tensorflow as tf

        x = tf.placeholder(tf.float32, [None, 8])
        h = tf.layers.dropout(tf.layers.dense(x, 8), training=True)
        train_op = tf.train.AdamOptimizer().minimize(tf.reduce_mean(h ** 2))
        sess = tf.Session()
    """,
    "inference-mode-batch-norm": """
        import tensorflow as tf

        x = tf.placeholder(tf.float32, [None, 8])
        h = tf.layers.batch_normalization(x, training=False)
        h2 = tf.contrib.layers.batch_norm(h, is_training=False)
        train_op = tf.train.AdamOptimizer().minimize(tf.reduce_mean(h2 ** 2))
        sess = tf.Session()
    """,
    "eager-tf2-compat-layers": """
        import tensorflow as tf

        x = tf.random.normal([8, 4])
        opt = tf.keras.optimizers.SGD(0.1)
        w = tf.Variable(tf.ones([4, 4]))
        with tf.GradientTape() as tape:
            h = tf.compat.v1.layers.batch_normalization(x @ w, training=True)
            loss = tf.reduce_mean(h ** 2)
        opt.apply_gradients([(tape.gradient(loss, w), w)])
    """,
    "keras-model-in-session": """
        import tensorflow as tf

        model = tf.keras.Sequential([tf.keras.layers.Dense(8), tf.keras.layers.BatchNormalization()])
        x = tf.placeholder(tf.float32, [None, 4])
        train_op = tf.train.AdamOptimizer().minimize(tf.reduce_mean(model(x, training=True) ** 2))
        sess = tf.Session()
    """,
}


def _text(program: str) -> str:
    return textwrap.dedent(program).lstrip("\n")


@pytest.mark.parametrize("name", sorted(BUGS))
def test_train_op_without_update_ops_is_reported(name):
    program, lines = BUGS[name]
    findings = analyze(_text(program), f"{name}.py", ONLY).findings
    assert sorted(f.line for f in findings) == lines
    assert all("UPDATE_OPS" in f.message and "moving mean" in f.message for f in findings)


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_look_alikes_stay_silent(name):
    assert analyze(_text(LOOKALIKES[name]), f"{name}.py", ONLY).findings == []


# UPDATE_OPS read from the default graph while the model was built in a graph the same code made
OTHER_GRAPH_BUGS = {
    # the ageron DNNClassifier: the graph kept on the instance, the collection read after the block
    "instance-graph": ("""
        import tensorflow as tf

        class Classifier:
            def _build(self, n_inputs):
                self._X = tf.placeholder(tf.float32, [None, n_inputs])
                self._training = tf.placeholder_with_default(False, shape=())
                h = tf.layers.batch_normalization(tf.layers.dense(self._X, 32), training=self._training)
                self._loss = tf.reduce_mean(tf.square(h))
                self._train_op = tf.train.AdamOptimizer().minimize(self._loss)

            def fit(self, X):
                self._graph = tf.Graph()
                with self._graph.as_default():
                    self._build(X.shape[1])
                    init = tf.global_variables_initializer()
                extra_update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
                with tf.Session(graph=self._graph) as sess:
                    sess.run(init)
                    sess.run([self._train_op, extra_update_ops], feed_dict={self._X: X, self._training: True})
    """, [16]),
    # module level, compat.v1, a local graph name
    "module-graph": ("""
        import tensorflow.compat.v1 as tf

        graph = tf.Graph()
        with graph.as_default():
            x = tf.placeholder(tf.float32, [None, 8])
            h = tf.layers.batch_normalization(x, training=True)
            step = tf.train.AdamOptimizer().minimize(tf.reduce_mean(h ** 2))
        updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        with tf.Session(graph=graph) as sess:
            sess.run([step, updates])
    """, [8]),
}

OTHER_GRAPH_LOOKALIKES = {
    "collection-read-inside-the-block": """
        import tensorflow as tf

        graph = tf.Graph()
        with graph.as_default():
            x = tf.placeholder(tf.float32, [None, 8])
            h = tf.layers.batch_normalization(x, training=True)
            step = tf.train.AdamOptimizer().minimize(tf.reduce_mean(h ** 2))
            updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        with tf.Session(graph=graph) as sess:
            sess.run([step, updates])
    """,
    "graph-given-by-the-caller": """
        import tensorflow as tf

        def train(graph, step):
            with graph.as_default():
                h = tf.layers.batch_normalization(tf.placeholder(tf.float32, [None, 8]), training=True)
            updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
            with tf.Session(graph=graph) as sess:
                sess.run([step, updates])
    """,
}


@pytest.mark.parametrize("name", sorted(OTHER_GRAPH_BUGS))
def test_update_ops_of_the_default_graph_are_reported(name):
    program, lines = OTHER_GRAPH_BUGS[name]
    findings = analyze(_text(program), f"{name}.py", ONLY).findings
    assert sorted(f.line for f in findings) == lines
    assert all("UPDATE_OPS of the default graph" in f.message for f in findings)


@pytest.mark.parametrize("name", sorted(OTHER_GRAPH_LOOKALIKES))
def test_update_ops_read_in_the_model_graph_stay_silent(name):
    assert analyze(_text(OTHER_GRAPH_LOOKALIKES[name]), f"{name}.py", ONLY).findings == []
