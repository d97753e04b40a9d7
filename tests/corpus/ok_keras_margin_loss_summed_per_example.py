"""A Keras capsule-style margin loss that sums over the classes of each example, then averages.

Correct: `K.sum(..., axis=-1)` keeps one value per example and `K.mean` averages them over the
batch; the numpy sum and mean of the logged losses are left alone.
"""
# runtime: runs
import numpy as np
from tensorflow import keras
from tensorflow.keras import backend as K


def margin_loss(y_true, y_pred):
    present = y_true * K.square(K.relu(0.9 - y_pred))
    absent = 0.5 * (1 - y_true) * K.square(K.relu(y_pred - 0.1))
    return K.mean(K.sum(present + absent, axis=-1))


model = keras.Sequential([keras.Input((16,)), keras.layers.Dense(4, activation="sigmoid")])
model.compile(optimizer="adam", loss=margin_loss)
x = np.random.rand(64, 16).astype("float32")
y = keras.utils.to_categorical(np.random.randint(0, 4, 64), 4)
history = model.fit(x, y, epochs=1, batch_size=16, verbose=0)
print("mean of the summed losses:", np.mean(np.sum(history.history["loss"])))
