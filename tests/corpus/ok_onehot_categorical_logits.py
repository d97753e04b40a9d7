"""Correct: labels one-hot encoded with tf.one_hot and trained with CategoricalCrossentropy(from_logits=True)."""
# runtime: runs
import numpy as np
import tensorflow as tf

x = tf.random.normal((24, 10))
labels = tf.one_hot(np.random.randint(0, 3, size=24), depth=3)
model = tf.keras.Sequential([tf.keras.Input((10,)), tf.keras.layers.Dense(16, activation="relu"), tf.keras.layers.Dense(3)])
loss_fn = tf.keras.losses.CategoricalCrossentropy(from_logits=True)
optimizer = tf.keras.optimizers.Adam()

for step in range(2):
    with tf.GradientTape() as tape:
        loss = loss_fn(labels, model(x, training=True))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
