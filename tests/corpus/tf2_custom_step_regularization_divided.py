"""A TF2 custom training step that adds the weight decay before dividing by the batch size.

Silent: the regularization losses are divided by the batch size along with the summed data
loss, so the L2 penalty is 32 times weaker than the regularizer says.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(3, kernel_regularizer=tf.keras.regularizers.l2(1e-2))])
loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")
optimizer = tf.keras.optimizers.SGD(0.1)
batch_size = 32


def train_step(image, label):
    with tf.GradientTape() as tape:
        predictions = model(image, training=True)
        loss = tf.reduce_sum(loss_object(label, predictions))
        loss += sum(model.losses)
        loss = loss * (1.0 / batch_size)  # expect: TL451
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss


train_step(np.random.randn(batch_size, 8).astype("float32"), np.random.randint(0, 3, batch_size))
