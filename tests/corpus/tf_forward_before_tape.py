"""A TensorFlow 2 training loop that runs the model before opening the GradientTape and computes only the loss inside it.

Silent: the tape never saw the forward pass, so tape.gradient returns None for every trainable
variable and the weights never change.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

model = tf.keras.Sequential([tf.keras.Input((6,)), tf.keras.layers.Dense(16, activation="relu"), tf.keras.layers.Dense(1)])
loss_fn = tf.keras.losses.MeanSquaredError()
x = tf.constant(np.random.rand(32, 6).astype("float32"))
y = tf.constant(np.random.rand(32, 1).astype("float32"))
for epoch in range(2):
    pred = model(x, training=True)
    with tf.GradientTape() as tape:
        loss = loss_fn(y, pred)
    grads = tape.gradient(loss, model.trainable_variables)  # expect: TL405
