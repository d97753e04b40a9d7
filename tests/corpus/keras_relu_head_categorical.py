"""A Keras 9-class image classifier whose last Dense layer uses ReLU under categorical_crossentropy.

Silent: the outputs are not probabilities: their rows do not sum to 1 and many are exactly 0,
where the cross-entropy's log is clipped; training learns from a distorted loss.
"""
# runtime: runs
import numpy as np
from tensorflow.keras.layers import Conv2D, Dense, Flatten, Input, MaxPooling2D
from tensorflow.keras.models import Sequential
from tensorflow.keras.utils import to_categorical

X = np.random.rand(24, 16, 16, 3).astype("float32")
y = to_categorical(np.random.randint(0, 9, 24), 9)
model = Sequential()
model.add(Input((16, 16, 3)))
model.add(Conv2D(8, 3, activation="relu"))
model.add(MaxPooling2D())
model.add(Flatten())
model.add(Dense(32, activation="relu"))
model.add(Dense(9, activation="relu"))
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])  # expect: TL304
model.fit(X, y, epochs=1, batch_size=8, verbose=0)
