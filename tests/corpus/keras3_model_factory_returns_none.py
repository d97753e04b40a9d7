"""A Keras 3 classifier whose model factory builds and summarizes the model but never returns it.

`model` is None: `model.compile(...)` raises AttributeError before any training.
"""
# runtime: raises AttributeError
import numpy as np
import keras
from keras import layers


def build_classifier(n_features, n_classes, hidden=(64, 32)):
    inputs = keras.Input(shape=(n_features,))
    x = inputs
    for units in hidden:
        x = layers.Dense(units, activation="relu")(x)
        x = layers.Dropout(0.2)(x)
    outputs = layers.Dense(n_classes, activation="softmax")(x)
    model = keras.Model(inputs=inputs, outputs=outputs, name="classifier")
    model.summary()


x_train = np.random.rand(256, 20).astype("float32")
y_train = np.random.randint(0, 3, size=(256,))

model = build_classifier(20, 3)  # expect: TL421
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=2, batch_size=32, validation_split=0.2)
