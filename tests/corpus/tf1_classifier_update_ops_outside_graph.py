"""A scikit-learn-style TF1 classifier that builds its batch-normalized network in its own graph and collects UPDATE_OPS after leaving it.

Silent under TensorFlow 1.x: the collection comes from the default graph and is empty, so the
moving statistics never change and predictions with training=False are wrong. TensorFlow 2.16+
with Keras 3 no longer has tf.layers: the program stops at the first layer.
"""
# runtime: raises AttributeError
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


class BNClassifier:
    def _build_graph(self, n_inputs, n_outputs):
        self._X = tf.placeholder(tf.float32, [None, n_inputs])
        self._y = tf.placeholder(tf.int32, [None])
        self._training = tf.placeholder_with_default(False, shape=())
        h = tf.layers.dense(self._X, 64)
        h = tf.nn.elu(tf.layers.batch_normalization(h, training=self._training, momentum=0.9))
        logits = tf.layers.dense(h, n_outputs)
        self._loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=self._y, logits=logits))
        self._training_op = tf.train.AdamOptimizer(0.01).minimize(self._loss)
        self._init = tf.global_variables_initializer()

    def fit(self, X, y, n_epochs=5):
        self._graph = tf.Graph()
        with self._graph.as_default():
            self._build_graph(X.shape[1], len(np.unique(y)))
        extra_update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)  # expect: TL417
        with tf.Session(graph=self._graph) as sess:
            sess.run(self._init)
            for epoch in range(n_epochs):
                feed = {self._X: X, self._y: y, self._training: True}
                sess.run([self._training_op, extra_update_ops], feed_dict=feed)
        return self


BNClassifier().fit(np.random.rand(100, 8).astype(np.float32), np.random.randint(0, 3, 100))
