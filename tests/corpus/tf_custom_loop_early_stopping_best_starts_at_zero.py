"""A tf.keras custom training loop whose early stopping keeps the lowest validation loss, starting from 0.

Silent: a mean squared error is never below 0, so `best` never moves, `wait` is never reset,
and the loop stops after `patience` epochs while the validation loss is still falling.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

tf.random.set_seed(0)
x = np.random.rand(256, 4).astype("float32")
y = (x @ np.array([[1.0], [-2.0], [0.5], [3.0]], dtype="float32")).astype("float32")
x_val, y_val = x[:64], y[:64]

model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(1)])
optimizer = tf.keras.optimizers.Adam(0.05)
loss_fn = tf.keras.losses.MeanSquaredError()
val_loss_metric = tf.keras.metrics.MeanSquaredError()

losses = []
patience = 3
wait = 0
best = 0
for epoch in range(50):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    grads = tape.gradient(loss, model.trainable_weights)
    optimizer.apply_gradients(zip(grads, model.trainable_weights))
    val_loss_metric.update_state(y_val, model(x_val, training=False))
    val_loss = float(val_loss_metric.result())
    val_loss_metric.reset_state()
    losses.append(val_loss)
    wait += 1
    if val_loss < best:  # expect: TL318
        best = val_loss
        wait = 0
    if wait >= patience:
        break
