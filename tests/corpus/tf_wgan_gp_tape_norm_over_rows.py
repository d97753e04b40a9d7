"""A tf.keras WGAN-GP penalty whose gradient norm sums the height and width axes but not the channels.

Silent: one norm per channel of each image instead of one per image, so each channel's gradient
is held near norm 1 and the critic is trained on another objective.
"""
# runtime: runs
import tensorflow as tf

critic = tf.keras.Sequential([
    tf.keras.layers.Conv2D(8, 3, strides=2, padding="same", input_shape=(32, 32, 3)),
    tf.keras.layers.LeakyReLU(0.2),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(1),
])
optimizer = tf.keras.optimizers.Adam(1e-4, beta_1=0.5, beta_2=0.9)


def gradient_penalty(real, fake):
    alpha = tf.random.uniform([real.shape[0], 1, 1, 1], 0.0, 1.0)
    mixed = real + alpha * (fake - real)
    with tf.GradientTape() as gp_tape:
        gp_tape.watch(mixed)
        pred = critic(mixed, training=True)
    grads = gp_tape.gradient(pred, [mixed])[0]
    norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1, 2]))  # expect: TL427
    return tf.reduce_mean((norm - 1.0) ** 2)


real_images = tf.random.uniform([8, 32, 32, 3], -1.0, 1.0)
fake_images = tf.random.uniform([8, 32, 32, 3], -1.0, 1.0)
with tf.GradientTape() as tape:
    gp = gradient_penalty(real_images, fake_images)
    loss = tf.reduce_mean(critic(fake_images)) - tf.reduce_mean(critic(real_images)) + 10.0 * gp
grads = tape.gradient(loss, critic.trainable_variables)
optimizer.apply_gradients(zip(grads, critic.trainable_variables))
print(f"critic loss {float(loss):.3f}, penalty {float(gp):.3f}")
