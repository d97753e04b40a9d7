"""A Keras binary classifier that outputs a logit, scored by 'accuracy' at the 0.5 threshold.

Silent: on a one-unit output Keras turns 'accuracy' into binary accuracy, which thresholds the
logit at 0.5; every logit between 0 and 0.5 counts as the negative class, so the accuracy it
reports differs from the accuracy of the model's decisions (logit > 0).
"""
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
    metrics=["accuracy"],  # expect: TL312
)
model.fit(x, y, epochs=2, batch_size=32, verbose=0)
