"""tf.keras classifiers whose training and prediction images share one scale: both divided by 255, or both raw with a Rescaling layer inside."""
# runtime: runs
import numpy as np
import tensorflow as tf
from tensorflow.keras.preprocessing.image import ImageDataGenerator

x_train = np.random.uniform(0, 255, size=(128, 32, 32, 3)).astype("float32")
y_train = np.random.randint(0, 4, size=128)
x_test = np.random.uniform(0, 255, size=(32, 32, 32, 3)).astype("float32")
y_test = np.random.randint(0, 4, size=32)


def build(rescale_inside):
    layers = [tf.keras.layers.Rescaling(1. / 255)] if rescale_inside else []
    model = tf.keras.Sequential([tf.keras.Input(shape=(32, 32, 3))] + layers + [
        tf.keras.layers.Conv2D(8, 3, activation="relu"),
        tf.keras.layers.GlobalAveragePooling2D(),
        tf.keras.layers.Dense(4),
    ])
    model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


scaled = build(rescale_inside=False)
datagen = ImageDataGenerator(rescale=1. / 255, horizontal_flip=True)
scaled.fit(datagen.flow(x_train, y_train, batch_size=32), epochs=1, verbose=0)
scaled.evaluate(x_test / 255.0, y_test, verbose=0)
print(scaled.predict(x_test[:4] / 255.0, verbose=0).argmax(axis=1))

raw = build(rescale_inside=True)
raw.fit(x_train, y_train, batch_size=32, epochs=1, verbose=0)
raw.evaluate(x_test, y_test, verbose=0)
print(raw.predict(x_test[:4], verbose=0).argmax(axis=1))
