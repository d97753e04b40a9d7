"""A Keras binary classifier with a sigmoid output and the string loss 'binary_crossentropy' (opt-in advice).

Not a crash: it trains, but a linear output with BinaryCrossentropy(from_logits=True) is more
numerically stable for confident predictions (TL308 is an info-level, opt-in rule).
"""
# runtime: runs
import numpy as np
import keras
from keras import layers

model = keras.Sequential([keras.Input(shape=(10,)), layers.Dense(16, activation="relu"), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])  # expect: TL308
x = np.random.rand(50, 10).astype("float32")
y = np.random.randint(0, 2, size=(50,))
model.fit(x, y, epochs=1, verbose=0)
