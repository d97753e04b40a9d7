"""Correct: a Keras model that computes its own loss in its last layer, compiled with `lambda y_true, y_pred: y_pred`."""
# runtime: runs
import numpy as np
import tensorflow as tf
from tensorflow import keras

features = keras.Input(shape=(5,), name="features")
target = keras.Input(shape=(1,), name="target")
pred = keras.layers.Dense(1)(features)
per_sample = keras.layers.Lambda(lambda t: tf.square(t[0] - t[1]))([pred, target])
model = keras.Model([features, target], per_sample)
model.compile(optimizer="adam", loss=lambda y_true, y_pred: y_pred)

x = np.random.rand(32, 5).astype("float32")
y = np.random.rand(32, 1).astype("float32")
model.fit([x, y], np.zeros((32, 1), dtype="float32"), epochs=1, verbose=0)
