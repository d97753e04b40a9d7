"""A tf.keras transfer-learning script that clones model A to keep it, then builds model B from model A's own layers.

Silent: Sequential(model_a.layers[:-1]) puts model A's layer objects into model B, so fitting
model B changes model A's hidden weights; the clone the script made to keep model A is never
used again, and model A no longer predicts what it was trained to.
"""
# runtime: runs
import numpy as np
from tensorflow import keras

x_a = np.random.rand(256, 16).astype("float32")
y_a = np.random.randint(0, 4, size=(256,))
x_b = np.random.rand(64, 16).astype("float32")
y_b = np.random.randint(0, 2, size=(64,)).astype("float32")

model_a = keras.models.Sequential([
    keras.Input(shape=(16,)),
    keras.layers.Dense(32, activation="relu"),
    keras.layers.Dense(32, activation="relu"),
    keras.layers.Dense(4),
])
model_a.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), optimizer="adam")
model_a.fit(x_a, y_a, epochs=1, verbose=0)

model_a_clone = keras.models.clone_model(model_a)
model_a_clone.set_weights(model_a.get_weights())

model_b = keras.models.Sequential(model_a.layers[:-1])  # expect: TL226
model_b.add(keras.layers.Dense(1, activation="sigmoid"))
model_b.compile(loss="binary_crossentropy", optimizer="adam")
model_b.fit(x_b, y_b, epochs=2, verbose=0)
