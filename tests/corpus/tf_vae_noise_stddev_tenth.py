"""A TensorFlow VAE whose reparameterization draws its noise with stddev 0.1 against a unit-Gaussian KL.

Silent: the KL term pulls the posterior toward N(0, 1), but the sample scales noise of standard
deviation 0.1, so the decoder sees codes ten times tighter than the model describes.
"""
# runtime: runs
import tensorflow as tf

encoder = tf.keras.Sequential([tf.keras.Input((10,)), tf.keras.layers.Dense(6)])
decoder = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(10)])
optimizer = tf.keras.optimizers.SGD(0.01)
x = tf.random.uniform((16, 10))
for _ in range(2):
    with tf.GradientTape() as tape:
        mu, log_var = tf.split(encoder(x), 2, axis=1)
        noise = tf.random.normal(tf.shape(mu), stddev=0.1)  # expect: TL324
        z = mu + tf.exp(0.5 * log_var) * noise
        kl = -0.5 * tf.reduce_sum(1 + log_var - tf.square(mu) - tf.exp(log_var), axis=1)
        loss = tf.reduce_mean(tf.reduce_sum(tf.square(x - decoder(z)), axis=1) + kl)
    params = encoder.trainable_variables + decoder.trainable_variables
    optimizer.apply_gradients(zip(tape.gradient(loss, params), params))
