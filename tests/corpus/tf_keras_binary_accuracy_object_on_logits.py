"""A tf.keras functional text classifier whose logits are scored by BinaryAccuracy() at 0.5.

Silent: BinaryAccuracy thresholds at 0.5 unless told otherwise, while the loss
(from_logits=True) reads the output as a logit whose decision boundary is 0; the reported
accuracy differs from the accuracy of the model's decisions.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(1)
tokens = np.random.randint(1, 1000, size=(200, 40))
labels = (tokens[:, 0] > 500).astype("float32").reshape(-1, 1)

inputs = tf.keras.Input(shape=(40,), dtype="int32")
h = tf.keras.layers.Embedding(1000, 16)(inputs)
h = tf.keras.layers.GlobalAveragePooling1D()(h)
logits = tf.keras.layers.Dense(1)(h)
model = tf.keras.Model(inputs, logits)
model.compile(optimizer="adam",
              loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
              metrics=[tf.keras.metrics.BinaryAccuracy(name="acc")])  # expect: TL312
model.fit(tokens, labels, epochs=1, verbose=0)
