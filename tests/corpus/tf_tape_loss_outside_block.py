"""A custom training step whose loss is computed after the `with tf.GradientTape()` block has closed."""
# runtime: raises ValueError
import tensorflow as tf
from tensorflow import keras

model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)])
mse = keras.losses.MeanSquaredError()
opt = keras.optimizers.Adam(1e-3)


def train_step(x, y):
    with tf.GradientTape() as tape:
        pred = model(x, training=True)
    loss = mse(y, pred)
    grads = tape.gradient(loss, model.trainable_variables)  # expect: TL405
    opt.apply_gradients(zip(grads, model.trainable_variables))
    return loss


train_step(tf.random.normal((32, 8)), tf.random.normal((32, 1)))
