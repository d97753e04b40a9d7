"""A functional tf.keras image classifier whose Dense layer reads the convolution's map before Flatten.

Silent: the Dense(32) after the batch-normalized convolution maps each position's 16 channels
alone (its kernel is 16x32, the same at every position), and the Flatten after the dropout
joins the positions only afterwards: no layer of the model combines the features of
different positions before the output layer.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

inputs = tf.keras.Input((28, 28, 1))
x = tf.keras.layers.Conv2D(16, 3, activation="relu")(inputs)
x = tf.keras.layers.BatchNormalization()(x)
x = tf.keras.layers.Dense(32, activation="relu")(x)  # expect: TL236
x = tf.keras.layers.Dropout(0.3)(x)
x = tf.keras.layers.Flatten()(x)
outputs = tf.keras.layers.Dense(10)(x)
model = tf.keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))

images = np.random.rand(32, 28, 28, 1).astype("float32")
labels = np.random.randint(0, 10, size=(32,))
model.fit(images, labels, epochs=1, batch_size=8, verbose=0)
