"""A GradientTape loop that optimises an accuracy-like loss built from tf.round of the predictions."""
# runtime: raises ValueError
import tensorflow as tf

model = tf.keras.Sequential([tf.keras.Input((5,)), tf.keras.layers.Dense(1, activation="sigmoid")])
optimizer = tf.keras.optimizers.Adam()
x = tf.random.normal((16, 5))
y = tf.cast(tf.random.uniform((16, 1)) > 0.5, tf.float32)

with tf.GradientTape() as tape:
    pred = model(x, training=True)
    errors = tf.cast(tf.not_equal(tf.round(pred), y), tf.float32)
    loss = tf.reduce_mean(errors)
grads = tape.gradient(loss, model.trainable_variables)  # expect: TL402
optimizer.apply_gradients(zip(grads, model.trainable_variables))
