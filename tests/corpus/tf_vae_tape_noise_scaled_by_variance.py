"""A TensorFlow VAE trained with a GradientTape, sampling its codes as mean + exp(logvar) * eps.

Silent: the KL term treats logvar as the log-variance, so the noise should be scaled by
exp(0.5 * logvar); scaled by the variance, the sampled codes do not follow the posterior.
"""
# runtime: runs
import tensorflow as tf

encoder = tf.keras.Sequential([tf.keras.Input((12,)), tf.keras.layers.Dense(8, activation="relu"), tf.keras.layers.Dense(4)])
decoder = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(12)])
optimizer = tf.keras.optimizers.Adam(1e-3)
batch = tf.random.uniform((32, 12))
for step in range(3):
    with tf.GradientTape() as tape:
        mean, logvar = tf.split(encoder(batch), 2, axis=1)
        eps = tf.random.normal(shape=tf.shape(mean))
        code = mean + tf.exp(logvar) * eps  # expect: TL323
        rebuilt = decoder(code)
        rec = tf.reduce_sum(tf.square(batch - rebuilt), axis=1)
        kl = -0.5 * tf.reduce_sum(1 + logvar - tf.square(mean) - tf.exp(logvar), axis=1)
        loss = tf.reduce_mean(rec + kl)
    weights = encoder.trainable_variables + decoder.trainable_variables
    optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))
