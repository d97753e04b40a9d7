"""A Keras 3 one-feature regression that predicts on the held-out targets instead of the inputs.

Silent: `model.predict(y_test)` feeds the model rows of `y`, the array it was trained to output;
the shapes agree, so the "predictions" plotted against the test targets answer no question.
"""
# runtime: runs
import numpy as np
import keras

X = np.arange(0, 1000, 5, dtype="float32")
y = np.arange(100, 1100, 5, dtype="float32")
X_train, X_test = X[:150], X[150:]
y_train = y[:150]
y_test = y[150:]

model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
model.compile(loss="mae", optimizer="adam")
model.fit(np.expand_dims(X_train, axis=-1), y_train, epochs=2, verbose=0)
y_pred = model.predict(y_test, verbose=0)  # expect: TL506
