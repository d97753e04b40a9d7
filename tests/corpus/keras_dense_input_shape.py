"""A Keras MLP declared with input_shape=(20,) and trained on a feature matrix with 21 columns."""
# runtime: raises ValueError
import numpy as np
import tensorflow as tf


def build_model():
    model = tf.keras.Sequential([
        tf.keras.layers.Dense(64, activation="relu", input_shape=(20,)),
        tf.keras.layers.Dense(1),
    ])
    model.compile(optimizer="adam", loss="mse")
    return model


features = np.random.rand(100, 21)
target = np.random.rand(100)
model = build_model()
model.fit(features, target, epochs=1, batch_size=32, verbose=0)  # expect: TL203
