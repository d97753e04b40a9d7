"""A Keras 3 classifier of review ratings 1-5 with five softmax units and sparse categorical cross-entropy."""
# runtime: raises InvalidArgumentError
import keras
import numpy as np

features = np.random.rand(600, 12).astype("float32")
ratings = np.random.randint(1, 6, size=600)  # the stars a reviewer gave: 1 to 5
model = keras.Sequential([
    keras.Input(shape=(12,)),
    keras.layers.Dense(32, activation="relu"),
    keras.layers.Dense(5, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])  # expect: TL308
model.fit(features, ratings, epochs=2, batch_size=32, verbose=0)  # expect: TL329
