"""A tf.keras siamese sentence matcher scoring two encodings with dot(..., axes=0)."""
# runtime: raises ValueError
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Dense, GlobalAveragePooling1D, Input, dot

left_in = Input(shape=(20, 16))
right_in = Input(shape=(20, 16))
encoder = Dense(8, activation="tanh")
left = GlobalAveragePooling1D()(encoder(left_in))
right = GlobalAveragePooling1D()(encoder(right_in))
score = dot([left, right], axes=0, normalize=True)  # expect: TL216
model = tf.keras.Model([left_in, right_in], score)
model.compile(optimizer="adam", loss="mse")
a = np.random.rand(64, 20, 16).astype("float32")
b = np.random.rand(64, 20, 16).astype("float32")
model.fit([a, b], np.random.rand(64, 1).astype("float32"), epochs=1, verbose=0)
