"""A Keras 3 linear fit whose training helper is handed the data as Python lists of rows."""
# runtime: raises ValueError
import keras


def train(model, rows, targets, epochs=5):
    model.compile(optimizer="sgd", loss="mse")
    return model.fit(rows, targets, epochs=epochs, verbose=0)


features = [[0.5, 1.0], [1.5, 0.0], [2.0, 2.0], [3.0, 1.0]]
labels = [[2.0], [1.5], [4.0], [4.0]]
model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
history = train(model, features, labels)  # expect: TL221
