"""A GradientTape loop that one-hot encodes labels with tf.one_hot and feeds them to a sparse loss."""
# runtime: raises ValueError
import tensorflow as tf
from tensorflow import keras

model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(32, activation="relu"), keras.layers.Dense(4)])
loss_object = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
opt = keras.optimizers.SGD(0.01)

x = tf.random.uniform((16, 20))
y = tf.one_hot(tf.random.uniform((16,), maxval=4, dtype=tf.int32), depth=4)

with tf.GradientTape() as tape:
    logits = model(x)
    loss = loss_object(y, logits)  # expect: TL303
grads = tape.gradient(loss, model.trainable_variables)
opt.apply_gradients(zip(grads, model.trainable_variables))
