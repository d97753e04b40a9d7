"""A Keras 3 classifier for four kinds of readings, ending in one sigmoid unit with binary cross-entropy.

Silent: the kind ids 0-3 are read as probabilities of one positive class; ids 2 and 3 push the
output toward values it can never reach, and the four kinds cannot be told apart.
"""
# runtime: runs
import keras
import numpy as np

readings = np.random.rand(400, 16).astype("float32")
kinds = np.random.randint(0, 4, size=400)
net = keras.Sequential([
    keras.Input(shape=(16,)),
    keras.layers.Dense(32, activation="relu"),
    keras.layers.Dense(1, activation="sigmoid"),  # expect: TL328
])
net.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])  # expect: TL308
net.fit(readings, kinds, epochs=2, batch_size=32, verbose=0)
