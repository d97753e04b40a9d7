"""A churn model with one logit output compiled with sparse categorical cross-entropy and 0/1 labels."""
# runtime: raises InvalidArgumentError
import numpy as np
import tensorflow as tf

inputs = tf.keras.Input(shape=(7,))
hidden = tf.keras.layers.Dense(12, activation="relu")(inputs)
logit = tf.keras.layers.Dense(1)(hidden)
model = tf.keras.Model(inputs=inputs, outputs=logit)
model.compile(optimizer="rmsprop", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))  # expect: TL306

x = np.random.rand(30, 7).astype("float32")
churned = np.ones(30, dtype="int64")
model.fit(x, churned, epochs=1, verbose=0)
