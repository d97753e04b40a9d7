"""A tf.keras image classifier trained from an augmenting ImageDataGenerator with rescale=1/255, then asked to predict a raw image.

Silent: the generator divides every training batch by 255, but the single image handed to
`predict` keeps its 0-255 values, so the predicted class probabilities are those of an input
far outside anything the network saw in training.
"""
# runtime: runs
import numpy as np
import tensorflow as tf
from tensorflow.keras.preprocessing.image import ImageDataGenerator

CLASSES = ["cat", "dog", "horse"]
# stand-ins for the decoded photos, 8-bit RGB values 0-255
x_train = np.random.uniform(0, 255, size=(96, 64, 64, 3)).astype("float32")
y_train = tf.keras.utils.to_categorical(np.random.randint(0, 3, size=96), num_classes=3)
x_new = np.random.uniform(0, 255, size=(4, 64, 64, 3)).astype("float32")

model = tf.keras.Sequential([
    tf.keras.layers.Conv2D(16, (3, 3), activation="relu", input_shape=(64, 64, 3)),
    tf.keras.layers.MaxPooling2D(2, 2),
    tf.keras.layers.Conv2D(32, (3, 3), activation="relu"),
    tf.keras.layers.MaxPooling2D(2, 2),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(64, activation="relu"),
    tf.keras.layers.Dense(3),
])
model.compile(loss=tf.keras.losses.CategoricalCrossentropy(from_logits=True), optimizer="rmsprop",
              metrics=["accuracy"])

datagen = ImageDataGenerator(rescale=1. / 255, horizontal_flip=True, vertical_flip=True)
model.fit(datagen.flow(x_train, y_train, batch_size=32), epochs=1, verbose=0)

img = x_new[0]
scores = model.predict(np.expand_dims(img, axis=0), verbose=0)  # expect: TL512
print("predicted:", CLASSES[int(np.argmax(scores[0]))])
