"""A custom GradientTape loop calling CategoricalCrossentropy(from_logits=True) on int32 tf.constant labels."""
# runtime: raises ValueError
import tensorflow as tf

model = tf.keras.Sequential([tf.keras.Input((10,)), tf.keras.layers.Dense(3)])
inputs = tf.random.normal((12, 10))
labels = tf.constant([0, 1, 2, 1, 0, 2, 2, 1, 0, 0, 1, 2], dtype=tf.int32)

loss_fn = tf.keras.losses.CategoricalCrossentropy(from_logits=True)
optimizer = tf.keras.optimizers.Adam(1e-3)

for step in range(2):
    with tf.GradientTape() as tape:
        logits = model(inputs, training=True)
        loss = loss_fn(labels, logits)  # expect: TL302
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
