"""A tf.keras WGAN-GP critic step whose penalty averages the squared distances of the per-sample gradient norms from 1."""
# runtime: runs
import tensorflow as tf

critic = tf.keras.Sequential([
    tf.keras.layers.Dense(64, input_shape=(8,)),
    tf.keras.layers.LeakyReLU(0.2),
    tf.keras.layers.Dense(1),
])
optimizer = tf.keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9)


def gradient_penalty(real, fake):
    alpha = tf.random.uniform([tf.shape(real)[0], 1], 0.0, 1.0)
    mixed = real + alpha * (fake - real)
    with tf.GradientTape() as gp_tape:
        gp_tape.watch(mixed)
        pred = critic(mixed, training=True)
    grads = gp_tape.gradient(pred, mixed)
    norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=1) + 1e-12)
    mean_norm = tf.reduce_mean(norm)  # logged only
    return tf.reduce_mean(tf.square(norm - 1.0)), mean_norm


def train_step(real, fake):
    with tf.GradientTape() as tape:
        gp, mean_norm = gradient_penalty(real, fake)
        scores = critic(real, training=True)
        drift = tf.reduce_mean(scores) ** 2  # a small drift term on the real scores
        loss = tf.reduce_mean(critic(fake, training=True)) - tf.reduce_mean(scores) + 10.0 * gp + 1e-3 * drift
    grads = tape.gradient(loss, critic.trainable_variables)
    optimizer.apply_gradients(zip(grads, critic.trainable_variables))
    return loss, mean_norm


for step in range(2):
    loss, mean_norm = train_step(tf.random.normal([32, 8]), tf.random.normal([32, 8]))
    print(f"step {step}: critic loss {float(loss):.3f}, mean gradient norm {float(mean_norm):.3f}")
