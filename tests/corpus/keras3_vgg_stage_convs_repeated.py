"""A Keras 3 VGG-style builder whose third stage reads the second stage's convolution count again.

Silent: `build_vgg()` with its default `convs=(1, 2, 3, 4)` gives stages of 1, 2, 2 and 3
convolutions, because the stages read `convs[0]`, `convs[1]`, `convs[1]`, `convs[2]`; the 4 is
never used, and the model holds 8 convolutions where its settings ask for 10.
"""
# runtime: runs
import numpy as np
import keras


def vgg_stage(x, filters, n_convs):
    for _ in range(n_convs):
        x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    return keras.layers.MaxPooling2D(2)(x)


def build_vgg(num_classes=10, convs=(1, 2, 3, 4)):
    inputs = keras.Input((32, 32, 3))
    x = vgg_stage(inputs, 16, convs[0])
    x = vgg_stage(x, 32, convs[1])
    x = vgg_stage(x, 64, convs[1])  # expect: TL461
    x = vgg_stage(x, 64, convs[2])
    x = keras.layers.GlobalAveragePooling2D()(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


model = build_vgg()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
x_train = np.random.rand(64, 32, 32, 3).astype("float32")
y_train = np.random.randint(0, 10, size=(64,))
history = model.fit(x_train, y_train, epochs=1, batch_size=16, verbose=0)
