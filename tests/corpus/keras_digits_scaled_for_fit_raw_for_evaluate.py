"""A tf.keras digit classifier trained on pixels divided by 255 and then evaluated on the raw 0-255 test images.

Silent: the weights were fitted to inputs in [0, 1]; on the undivided test images every
activation is up to 255 times larger, so the reported test loss and accuracy say nothing about
the model (the predictions collapse toward one class).
"""
# runtime: runs
import numpy as np
import tensorflow as tf

# stand-ins for the grayscale digit images, 8-bit intensities 0-255
x_train = np.random.uniform(0, 255, size=(256, 28, 28)).astype("float32")
y_train = np.random.randint(0, 10, size=256)
x_test = np.random.uniform(0, 255, size=(64, 28, 28)).astype("float32")
y_test = np.random.randint(0, 10, size=64)

model = tf.keras.models.Sequential([
    tf.keras.layers.Flatten(input_shape=(28, 28)),
    tf.keras.layers.Dense(128, activation="relu"),
    tf.keras.layers.Dropout(0.2),
    tf.keras.layers.Dense(10),
])
model.compile(optimizer="adam",
              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])

x_train = x_train / 255.0
model.fit(x_train, y_train, batch_size=64, epochs=1, validation_split=0.1, verbose=0)
test_loss, test_acc = model.evaluate(x_test, y_test, verbose=0)  # expect: TL512
print(f"test accuracy {test_acc:.3f}")
