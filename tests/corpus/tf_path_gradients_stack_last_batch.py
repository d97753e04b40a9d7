"""A TF2 integrated-gradients helper that stacks the last batch of path gradients instead of all of them.

Silent: the loop collects every batch's gradients in `gradient_batches`, but `tf.stack` is given
`gradient_batch`, the last batch alone, so the average runs over the last 9 of the 41 path
points and the attributions are wrong.
"""
# runtime: runs
import tensorflow as tf

weights = tf.random.normal((6, 3))


def path_gradients(points):
    with tf.GradientTape() as tape:
        tape.watch(points)
        scores = tf.reduce_sum(tf.nn.softmax(tf.matmul(points, weights)), axis=-1)
    return tape.gradient(scores, points)


def integrated_gradients(baseline, image, m_steps=40, batch_size=16):
    alphas = tf.linspace(0.0, 1.0, m_steps + 1)
    gradient_batches = []
    for start in range(0, m_steps + 1, batch_size):
        alpha_batch = alphas[start:start + batch_size]
        points = baseline + alpha_batch[:, tf.newaxis] * (image - baseline)
        gradient_batch = path_gradients(points)
        gradient_batches.append(gradient_batch)
    total_gradients = tf.stack(gradient_batch)  # expect: TL220
    return total_gradients


total = integrated_gradients(tf.zeros(6), tf.ones(6))
