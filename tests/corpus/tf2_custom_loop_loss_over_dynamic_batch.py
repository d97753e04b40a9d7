"""A TF2 custom training loop whose loss divides a float sum by the dynamic batch size tf.shape(x)[0]."""
# runtime: raises TypeError
import tensorflow as tf

model = tf.keras.Sequential([tf.keras.Input((6,)), tf.keras.layers.Dense(16, activation="relu"),
                             tf.keras.layers.Dense(1)])
optimizer = tf.keras.optimizers.Adam(1e-3)
features = tf.random.normal([64, 6])
targets = tf.random.normal([64, 1])


def squared_error_per_sample(y_true, y_pred):
    return tf.reduce_sum(tf.square(y_true - y_pred)) / tf.shape(y_true)[0]  # expect: TL106


for epoch in range(2):
    for start in range(0, 64, 16):
        x, y = features[start:start + 16], targets[start:start + 16]
        with tf.GradientTape() as tape:
            loss = squared_error_per_sample(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
