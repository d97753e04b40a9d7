"""TF2 accuracy of a classifier: tf.argmax (int64) compared with labels held as an int32 tensor."""
# runtime: raises InvalidArgumentError
import numpy as np
import tensorflow as tf

n_classes = 4
features = tf.constant(np.random.rand(40, 8), dtype=tf.float32)
labels = tf.constant(np.random.randint(0, n_classes, size=40), dtype=tf.int32)

model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(n_classes)])
model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(features, labels, epochs=1, verbose=0)

logits = model(features)
predicted = tf.argmax(logits, axis=1)
correct = tf.equal(predicted, labels)  # expect: TL106
print("accuracy", tf.reduce_mean(tf.cast(correct, tf.float32)).numpy())
