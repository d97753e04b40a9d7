"""A Keras 2 regression reports its error with keras.metrics.mean_absolute_error on (64,) and (64, 1).

The program is standalone Keras 2 code: it imports keras.layers.core, which Keras 3 no longer
has. The metric function is called directly on the flat targets and the model's predictions.

Keras 2's metric functions subtract the two tensors as they are: the error is averaged over a
(64, 64) matrix of every prediction against every target, so the number it prints says nothing
about the fit. The second call, with the targets given their column, is right. Under the Keras 3
this corpus is run with, the import of keras.layers.core fails first.
"""
# runtime: raises ModuleNotFoundError
import numpy as np
import keras
from keras import backend as K
from keras.layers.core import Dense


def report_error(model, x, y):
    return K.mean(keras.metrics.mean_absolute_error(y, model.predict(x)))  # expect: TL205


def report_error_by_column(model, x, y):
    return K.mean(keras.metrics.mean_absolute_error(y.reshape(-1, 1), model.predict(x)))


model = keras.models.Sequential([Dense(16, activation="relu", input_dim=3), Dense(1)])
model.compile(optimizer="adam", loss="mse")
x = np.random.rand(64, 3).astype("float32")
y = x.sum(axis=1)
model.fit(x, y.reshape(-1, 1), epochs=2, verbose=0)
print(report_error(model, x, y), report_error_by_column(model, x, y))
