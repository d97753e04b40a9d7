"""A Keras classifier compiled with a hand-written "1 - accuracy" loss built from tf.argmax and tf.equal."""
# runtime: raises ValueError
import numpy as np
import tensorflow as tf
from tensorflow import keras


def accuracy_loss(y_true, y_pred):  # expect: TL402
    correct = tf.cast(tf.equal(tf.argmax(y_pred, axis=1), tf.argmax(y_true, axis=1)), tf.float32)
    return 1.0 - tf.reduce_mean(correct)


model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss=accuracy_loss)
x = np.random.rand(32, 8).astype("float32")
y = keras.utils.to_categorical(np.random.randint(0, 3, 32), 3)
model.fit(x, y, epochs=1, verbose=0)
