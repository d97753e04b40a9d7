"""A small DenseNet-FCN for segmentation whose classifier reads the last up-sampling block's output."""
# runtime: runs
import keras
import numpy as np
from keras import layers


def conv_block(x, growth):
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    return layers.Conv2D(growth, 3, padding="same")(x)


def dense_block(x, n_layers, growth):
    feats = []
    for _ in range(n_layers):
        cb = conv_block(x, growth)
        feats.append(cb)
        x = layers.concatenate([x, cb])
    return x, feats


def fcn(n_classes, growth=8):
    inputs = keras.Input((32, 32, 3))
    x = layers.Conv2D(16, 3, padding="same")(inputs)
    skip = x
    x = layers.MaxPooling2D()(x)
    x, feats = dense_block(x, 2, growth)
    t = layers.Conv2DTranspose(16, 3, strides=2, padding="same")(layers.concatenate(feats))
    x = layers.concatenate([t, skip])
    x_up, feats = dense_block(x, 2, growth)
    outputs = layers.Conv2D(n_classes, 1, activation="softmax")(x_up)
    return keras.Model(inputs, outputs)


model = fcn(3)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
images = np.random.rand(8, 32, 32, 3).astype("float32")
masks = np.random.randint(0, 3, size=(8, 32, 32))
model.fit(images, masks, epochs=1, verbose=0)
