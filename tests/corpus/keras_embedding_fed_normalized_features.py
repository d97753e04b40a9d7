"""A Keras LSTM classifier whose Embedding is fed row-normalized real features instead of token ids.

Silent: Keras casts the float input to int32, so every value in (-1, 1) becomes id 0; each
sample reaches the LSTM as the same sequence of embedding row 0, and the model cannot tell the
samples apart.
"""
# runtime: runs
import numpy as np
import keras
from keras.utils import normalize

rng = np.random.default_rng(0)
X = rng.normal(size=(300, 50))
y = (X[:, 0] > 0).astype("float32")
X = normalize(X)

model = keras.Sequential([
    keras.Input((50,)),
    keras.layers.Embedding(1000, 16),  # expect: TL105
    keras.layers.LSTM(8),
    keras.layers.Dense(1),
])
model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))
model.fit(X, y, epochs=1, batch_size=32, verbose=0)
