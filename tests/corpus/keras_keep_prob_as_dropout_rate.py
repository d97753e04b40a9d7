"""A tf.keras classifier ported from TensorFlow 1 that keeps its keep_prob setting and gives it to Dropout, whose argument is the fraction to drop.

Silent: training runs, but 80 % of the hidden units are dropped at each step, not 20 %.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

keep_prob = 0.8
model = tf.keras.Sequential([
    tf.keras.Input(shape=(20,)),
    tf.keras.layers.Dense(128, activation="relu"),
    tf.keras.layers.Dropout(keep_prob),  # expect: TL113
    tf.keras.layers.Dense(3),
])
model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
x = np.random.rand(64, 20).astype("float32")
y = np.random.randint(0, 3, size=(64,))
model.fit(x, y, epochs=1, verbose=0)
