"""A Keras binary classifier with one linear output unit compiled with CategoricalCrossentropy(from_logits=True).

Silent: softmax over a single unit is always 1, so the categorical loss is exactly 0 for every sample
and nothing is learned (history['loss'] == [0.0]).
"""
# runtime: runs
import numpy as np
import keras

model = keras.Sequential([
    keras.Input(shape=(5,)),
    keras.layers.Dense(16, activation="relu"),
    keras.layers.Dense(1),
])
model.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy(from_logits=True))  # expect: TL306
x = np.random.rand(40, 5).astype("float32")
y = np.random.randint(0, 2, size=(40, 1)).astype("float32")
history = model.fit(x, y, epochs=1, verbose=0)
