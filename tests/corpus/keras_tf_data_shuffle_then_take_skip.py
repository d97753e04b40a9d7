"""A Keras regressor trained on a tf.data pipeline that is shuffled, then split with take/skip.

Silent: shuffle() reshuffles on every pass, so the 50 rows take() gives the validation split are
other rows each time; rows scored as validation data were trained on in earlier epochs.
"""
# runtime: runs
import numpy as np
import tensorflow as tf
import keras

rows = np.arange(250, dtype="float32").reshape(-1, 1)
data = tf.data.Dataset.from_tensor_slices((rows, rows * 2.0))
data = data.shuffle(250)  # expect: TL504
valid = data.take(50)
train = data.skip(50)

model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(train.batch(25), validation_data=valid.batch(25), epochs=2, verbose=0)
first_pass = {float(x[0]) for x, _ in valid}
second_pass = {float(x[0]) for x, _ in valid}
trained_rows = {float(x[0]) for x, _ in train}
