"""A Keras 3 DenseNet-style builder whose default compression its own assertion rejects.

`reduction=0.0` means no compression, but the builder asserts 0 < reduction <= 1, so the call
that keeps the default stops with AssertionError before any layer is built.
"""
# runtime: raises AssertionError
import keras
from keras import layers


def build_net(n_classes, depth=10, growth=8, reduction=0.0):
    assert (depth - 4) % 3 == 0, "depth must be 3N + 4"
    assert 0.0 < reduction <= 1.0, "reduction must lie in (0, 1]"  # expect: TL004
    inputs = keras.Input((32, 32, 3))
    x = layers.Conv2D(2 * growth, 3, padding="same")(inputs)
    x = layers.Conv2D(int(2 * growth * (1.0 - reduction)) or growth, 1)(x)
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(n_classes, activation="softmax")(x))


model = build_net(10)
model.summary()
