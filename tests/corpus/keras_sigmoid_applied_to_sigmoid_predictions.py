"""A tf.keras binary classifier whose predictions go through a second sigmoid before thresholding.

Silent: the model already ends in a sigmoid, so the second one maps every probability into
[0.5, 0.74) and every sample is predicted as class 1, including those the model scores near 0.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

tf.random.set_seed(0)
x = np.random.rand(200, 5).astype("float32")
y = (x[:, 0] > 0.5).astype("float32")

model = tf.keras.Sequential([
    tf.keras.Input((5,)),
    tf.keras.layers.Dense(8, activation="relu"),
    tf.keras.layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer=tf.keras.optimizers.Adam(0.05), loss="binary_crossentropy", metrics=["accuracy"])  # expect: TL308
model.fit(x, y, epochs=30, verbose=0)

scores = model.predict(x, verbose=0).flatten()
probs = tf.nn.sigmoid(scores)  # expect: TL319
labels = tf.where(probs < 0.5, 0, 1).numpy()
