"""Labels one-hot encoded with to_categorical, then trained with 'sparse_categorical_crossentropy' (Keras 3)."""
# runtime: raises ValueError
import numpy as np
import keras
from keras import layers
from keras.utils import to_categorical

n_classes = 6
x = np.random.rand(50, 12).astype("float32")
y = to_categorical(np.random.randint(0, n_classes, size=50), num_classes=n_classes)

model = keras.Sequential([keras.Input(shape=(12,)), layers.Dense(32, activation="relu"), layers.Dense(n_classes)])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(x, y, epochs=1, verbose=0)  # expect: TL303
