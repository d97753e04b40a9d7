"""A tf.keras segmentation network whose loss leaves out the background class by masking the targets and the softmax output before a categorical cross-entropy.

Silent: the loss divides each pixel's prediction by its sum, so every background pixel is 0/0; the loss and the gradients are NaN.
"""
# runtime: runs
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K

N_CLASSES = 4


def masked_loss(gt, pr):
    ignore = 1 - gt[:, :, 0:1]
    gt_kept = gt * ignore
    pr_kept = pr * ignore
    return K.categorical_crossentropy(gt_kept, pr_kept)  # expect: TL228


inputs = tf.keras.Input((16, 16, 3))
x = tf.keras.layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
x = tf.keras.layers.Conv2D(N_CLASSES, 1)(x)
x = tf.keras.layers.Reshape((16 * 16, N_CLASSES))(x)
outputs = tf.keras.layers.Activation("softmax")(x)
model = tf.keras.Model(inputs, outputs)

images = np.random.rand(8, 16, 16, 3).astype("float32")
labels = np.random.randint(0, N_CLASSES, size=(8, 16 * 16))
masks = tf.keras.utils.to_categorical(labels, N_CLASSES).astype("float32")

optimizer = tf.keras.optimizers.Adam()
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(masked_loss(tf.constant(masks), model(images, training=True)))
grads = tape.gradient(loss, model.trainable_variables)
optimizer.apply_gradients(zip(grads, model.trainable_variables))
