"""A TF2 VAE on random 20-feature vectors whose tape step sums the reconstruction error over the features but averages the KL term over the latent units.

Silent: the evidence lower bound sums both; averaging the KL over the 8 latent units weights it
eight times too little against the summed reconstruction, so the codes drift from the prior.
"""
# runtime: runs
import tensorflow as tf

encoder = tf.keras.Sequential([tf.keras.Input((20,)), tf.keras.layers.Dense(16, activation="relu"),
                               tf.keras.layers.Dense(16)])
decoder = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(20)])
opt = tf.keras.optimizers.Adam(1e-3)
data = tf.random.normal((64, 20))
for _ in range(3):
    with tf.GradientTape() as tape:
        mean, logvar = tf.split(encoder(data), 2, axis=1)
        z = mean + tf.exp(0.5 * logvar) * tf.random.normal(tf.shape(mean))
        rec = tf.reduce_sum(tf.square(data - decoder(z)), axis=1)
        kl = -0.5 * tf.reduce_mean(1 + logvar - tf.square(mean) - tf.exp(logvar), axis=1)  # expect: TL456
        loss = tf.reduce_mean(rec + kl)
    variables = encoder.trainable_variables + decoder.trainable_variables
    opt.apply_gradients(zip(tape.gradient(loss, variables), variables))
