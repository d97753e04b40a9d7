import numpy as np
from tensorflow import keras

from model import build_model

x = np.random.rand(100, 32, 32, 1).astype("float32")
y = np.random.randint(0, 10, size=(100,))
model = build_model(num_classes=10)
model.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy(from_logits=True))
model.fit(x, y, epochs=1)
