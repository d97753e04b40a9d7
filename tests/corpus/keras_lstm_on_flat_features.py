"""A Keras LSTM forecaster fed a 2-D table of 12 lagged readings per sample (samples, lags) instead of (samples, steps, features)."""
# runtime: raises ValueError
import numpy as np
import keras

readings = np.random.rand(288, 12).astype("float32")  # 12 lagged sensor readings per row
target = readings.mean(axis=1)

model = keras.Sequential([keras.layers.LSTM(32), keras.layers.Dense(1)])  # expect: TL210
model.compile(optimizer="adam", loss="mse")
model.fit(readings, target, epochs=1, batch_size=32, verbose=0)
