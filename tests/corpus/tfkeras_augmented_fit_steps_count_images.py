"""A Keras 3 image classifier (tf.keras's ImageDataGenerator) trained on augmented batches whose epoch length counts images.

Each step draws a batch of 16 images, but `steps_per_epoch` is the number of images: every
"epoch" goes over the training set 16 times (Keras stops the epoch when the iterator runs out and
says so in a warning), so the epoch count and every per-epoch callback mean something else."""
# runtime: runs
import numpy as np
import keras
from tensorflow.keras.preprocessing.image import ImageDataGenerator

BATCH = 16

images = np.random.rand(64, 12, 12, 3).astype("float32")
labels = keras.utils.to_categorical(np.random.randint(0, 4, size=64), 4)

model = keras.Sequential([
    keras.Input((12, 12, 3)),
    keras.layers.Conv2D(8, 3, activation="relu"),
    keras.layers.GlobalAveragePooling2D(),
    keras.layers.Dense(4),
])
model.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy(from_logits=True), metrics=["accuracy"])

augment = ImageDataGenerator(horizontal_flip=True, vertical_flip=True)
batches = augment.flow(images, labels, batch_size=BATCH)
model.fit(batches, steps_per_epoch=len(images), epochs=1, verbose=0)  # expect: TL321
