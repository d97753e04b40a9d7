"""A Keras classifier with batch normalization, trained by a GradientTape loop.

Silent: the model is called as `net(images)` inside the tape, so BatchNormalization runs in
inference mode: it normalizes with its moving statistics, which stay at mean 0 and variance 1
because no training call ever updates them. The layer does nothing but scale by its own weights.
"""
# runtime: runs
import numpy as np
import keras
import tensorflow as tf

images = (np.random.rand(512, 20) * 5 + 10).astype("float32")
labels = np.random.randint(0, 3, size=(512,))

net = keras.Sequential([
    keras.Input((20,)),
    keras.layers.Dense(32),
    keras.layers.BatchNormalization(),
    keras.layers.Activation("relu"),
    keras.layers.Dense(3),
])
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
opt = keras.optimizers.SGD(1e-3)

for start in range(0, 512, 64):
    xb, yb = images[start:start + 64], labels[start:start + 64]
    with tf.GradientTape() as tape:
        logits = net(xb)  # expect: TL455
        loss = loss_fn(yb, logits)
    grads = tape.gradient(loss, net.trainable_weights)
    opt.apply_gradients(zip(grads, net.trainable_weights))
