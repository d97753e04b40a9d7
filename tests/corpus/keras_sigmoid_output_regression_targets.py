"""A Keras regressor whose sigmoid output is trained on targets that reach 4.

Silent: the sigmoid keeps every prediction in (0, 1), so the loss stalls far from zero however
long it trains (the predictions for the larger targets pin at 1).
"""
# runtime: runs
import numpy as np
import keras

x = np.array([[0.5], [1.0], [1.5], [2.0], [2.5], [3.0], [3.5], [4.0]])
y = np.array([[0.5], [1.0], [1.5], [2.0], [2.5], [3.0], [3.5], [4.0]])
model = keras.Sequential([
    keras.Input((1,)),
    keras.layers.Dense(16, activation="relu"),
    keras.layers.Dense(1, activation="sigmoid"),  # expect: TL310
])
model.compile(optimizer="adam", loss="mean_squared_error")
model.fit(x, y, epochs=2, verbose=0)
