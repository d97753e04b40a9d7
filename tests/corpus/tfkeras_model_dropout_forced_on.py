"""A tf.keras model subclass that calls its dropout layer with training=True.

Silent: `call` takes the training flag that tf.keras passes (False in predict and evaluate) but
never reads it, so the reported test accuracy comes from a network that still drops half of its
hidden units.
"""
# runtime: runs
import numpy as np
import tensorflow as tf


class Classifier(tf.keras.Model):
    def __init__(self, n_classes):
        super().__init__()
        self.hidden = tf.keras.layers.Dense(64, activation="relu")
        self.drop = tf.keras.layers.Dropout(0.5)
        self.out = tf.keras.layers.Dense(n_classes, activation="softmax")

    def call(self, x, training=False):
        h = self.hidden(x)
        h = self.drop(h, training=True)  # expect: TL425
        return self.out(h)


model = Classifier(3)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
x = np.random.rand(60, 4).astype("float32")
y = np.random.randint(0, 3, size=(60,))
model.fit(x, y, epochs=1, batch_size=16, verbose=0)
print(model.evaluate(x, y, verbose=0))
