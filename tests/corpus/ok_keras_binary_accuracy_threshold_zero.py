"""A Keras binary classifier on logits whose accuracy metric thresholds them at 0, as it should."""
# runtime: runs
import numpy as np
import keras

keras.utils.set_random_seed(0)
x = np.random.rand(256, 20).astype("float32")
y = (x[:, :10].sum(axis=1) > x[:, 10:].sum(axis=1)).astype("float32")

model = keras.Sequential([
    keras.Input((20,)),
    keras.layers.Dense(16, activation="relu"),
    keras.layers.Dense(1),
])
model.compile(
    optimizer="adam",
    loss=keras.losses.BinaryCrossentropy(from_logits=True),
    metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)],
)
model.fit(x, y, epochs=2, batch_size=32, verbose=0)
