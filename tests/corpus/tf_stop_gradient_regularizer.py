"""A TensorFlow 2 training step that adds an activity penalty through `tf.stop_gradient`.

Silent: the penalty changes the reported loss but not the gradients: tape.gradient of the total
equals tape.gradient of the cross-entropy alone.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

model = tf.keras.Sequential([tf.keras.Input((6,)), tf.keras.layers.Dense(16, activation="relu"), tf.keras.layers.Dense(3)])
optimizer = tf.keras.optimizers.SGD(0.1)
x = tf.constant(np.random.rand(32, 6).astype("float32"))
y = tf.one_hot(np.random.randint(0, 3, 32), 3)
for step in range(3):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        ce = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))
        penalty = tf.reduce_mean(tf.square(logits))
        loss = ce + 0.1 * tf.stop_gradient(penalty)  # expect: TL412
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
