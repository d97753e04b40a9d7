"""A tf.keras feature extractor cut from a trained Sequential model (`model.layers[0].output`) and a VGG16 backbone's pooled features, each given a new head and fitted on data of the sizes they were built for."""
# runtime: runs
import numpy as np
import tensorflow as tf

model = tf.keras.Sequential([
    tf.keras.layers.Dense(32, activation="relu", input_shape=(20,)),
    tf.keras.layers.Dense(3),
])
model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
x = np.random.rand(64, 20).astype("float32")
model.fit(x, np.random.randint(0, 3, size=64), epochs=1, verbose=0)

encoder = tf.keras.Model(model.inputs, model.layers[0].output)
regressor = tf.keras.Model(encoder.input, tf.keras.layers.Dense(1)(encoder.output))
regressor.compile(optimizer="adam", loss="mse")
regressor.fit(x, np.random.rand(64, 1), epochs=1, verbose=0)

base = tf.keras.applications.VGG16(include_top=False, weights=None, input_shape=(32, 32, 3), pooling="avg")
head = tf.keras.layers.Dense(10)(base.output)
classifier = tf.keras.Model(base.input, head)
classifier.compile(optimizer="adam", loss=tf.keras.losses.CategoricalCrossentropy(from_logits=True))
images = np.random.rand(8, 32, 32, 3).astype("float32")
classifier.fit(images, np.eye(10)[np.random.randint(0, 10, size=8)], epochs=1, verbose=0)
