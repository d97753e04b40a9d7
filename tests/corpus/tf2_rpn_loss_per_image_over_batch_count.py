"""A TensorFlow region-proposal loss that sums each image's anchors and divides by the batch's count.

Silent: the per-image sums are divided by the masked anchors of the whole batch and then
averaged, so the loss is the anchor mean divided by the batch size.
"""
# runtime: runs
import numpy as np
import tensorflow as tf


def compute_loss(target_scores, pred_scores, target_masks):
    score_loss = tf.nn.softmax_cross_entropy_with_logits(labels=target_scores, logits=pred_scores)
    mask = (np.abs(target_masks) == 1).astype(np.float32)
    score_loss = tf.reduce_sum(score_loss * mask, axis=[1, 2, 3]) / np.sum(mask)  # expect: TL325
    score_loss = tf.reduce_mean(score_loss)
    return score_loss


scores = tf.one_hot(np.random.randint(0, 2, (2, 5, 6, 3)), 2)
preds = tf.constant(np.random.randn(2, 5, 6, 3, 2).astype("float32"))
masks = np.random.choice([-1, 0, 1], size=(2, 5, 6, 3))
loss = compute_loss(scores, preds, masks)
