"""A tf.data segmentation pipeline that resizes the images to (width, height) and their masks to (height, width)."""
# runtime: raises ValueError
import numpy as np
import tensorflow as tf

IMG_HEIGHT, IMG_WIDTH, N_CLASSES = 48, 96, 3


def preprocess(image, mask):
    image = tf.image.resize(image, (IMG_WIDTH, IMG_HEIGHT))  # expect: TL233
    mask = tf.image.resize(mask[..., None], (IMG_HEIGHT, IMG_WIDTH), method="nearest")[..., 0]
    return image / 255.0, mask


images = np.random.randint(0, 256, (16, 120, 200, 3)).astype("float32")
masks = np.random.randint(0, N_CLASSES, (16, 120, 200)).astype("int32")
dataset = tf.data.Dataset.from_tensor_slices((images, masks)).map(preprocess).batch(4)

model = tf.keras.Sequential([
    tf.keras.Input((None, None, 3)),
    tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu"),
    tf.keras.layers.Conv2D(N_CLASSES, 1),
])
model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(dataset, epochs=1, verbose=0)
