"""A Keras 3 fine-tuning script that keeps a copy of the pretrained model but adds the pretrained model's own layers to the new one.

Silent: the loop adds each layer object of `pretrained` to `finetuned`, so training `finetuned`
updates `pretrained`'s weights too; `kept`, the clone made so the pretrained weights survive,
is never read after its weights are set.
"""
# runtime: runs
import numpy as np
import keras

features = np.random.rand(200, 10).astype("float32")
targets = np.random.rand(200, 1).astype("float32")

pretrained = keras.Sequential([
    keras.Input(shape=(10,)),
    keras.layers.Dense(24, activation="relu"),
    keras.layers.Dense(24, activation="relu"),
    keras.layers.Dense(1),
])
pretrained.compile(optimizer="adam", loss="mse")
pretrained.fit(features, targets, epochs=1, verbose=0)

kept = keras.models.clone_model(pretrained)
kept.set_weights(pretrained.get_weights())

finetuned = keras.Sequential()
finetuned.add(keras.Input(shape=(10,)))
for layer in pretrained.layers[:-1]:  # expect: TL226
    finetuned.add(layer)
finetuned.add(keras.layers.Dense(1))
finetuned.compile(optimizer="adam", loss="mse")
finetuned.fit(features[:50], targets[:50] * 2.0, epochs=2, verbose=0)
