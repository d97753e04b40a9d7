"""A tf.keras model built in a function, validated on augmented batches counted in rows.

`validation_steps` is the number of validation rows while each validation step draws a batch of
8: the validation pass is meant to cover the rows once, and asks for eight times as many steps
as there are batches."""
# runtime: runs
import numpy as np
import tensorflow as tf
from tensorflow.keras.preprocessing.image import ImageDataGenerator


def build(classes):
    model = tf.keras.Sequential([
        tf.keras.Input((10, 10, 1)),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(classes),
    ])
    model.compile(optimizer="sgd", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


x_train = np.random.rand(48, 10, 10, 1).astype("float32")
y_train = np.random.randint(0, 3, size=48)
x_val = np.random.rand(24, 10, 10, 1).astype("float32")
y_val = np.random.randint(0, 3, size=24)

gen = ImageDataGenerator(horizontal_flip=True)
model = build(3)
model.fit(gen.flow(x_train, y_train, batch_size=8), steps_per_epoch=len(x_train) // 8,
          validation_data=gen.flow(x_val, y_val, batch_size=8),
          validation_steps=x_val.shape[0], epochs=1, verbose=0)  # expect: TL321
