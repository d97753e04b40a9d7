"""TL218 data-format-mixed on the bug written the ways people write it (`model.add` calls in
Keras 3, a tf.keras `Sequential` list, a functional chain, the Keras 2 module paths, a layer from
another file that states `data_format='channels_first'`, a model built in a function, a global
pooling) and on correct look-alikes: the format passed to every layer, set for the whole program,
restored by `Permute`, given by a variable, channels_last stated, a `Flatten`/`Dense` in between,
the same variable name in another function. Each case marks its expected findings with
`# expect: TL218`."""
from __future__ import annotations

import pytest

from tensorlint.config import Config

from corpus_support import marked_and_found, only_finding

CASES = {
    "keras3-model-add": """
        import keras
        from keras import layers

        model = keras.Sequential()
        model.add(layers.Conv2D(32, 3, padding="same", data_format="channels_first", input_shape=(1, 28, 28)))
        model.add(layers.BatchNormalization(axis=1))
        model.add(layers.Activation("relu"))
        model.add(layers.MaxPooling2D(pool_size=2))  # expect: TL218
        model.add(layers.Flatten())
        model.add(layers.Dense(10, activation="softmax"))
    """,
    "tf-keras-sequential-list": """
        import tensorflow as tf

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, data_format="channels_first", input_shape=(3, 64, 64)),
            tf.keras.layers.ReLU(),
            tf.keras.layers.Dropout(0.2),
            tf.keras.layers.Conv2D(16, 3),  # expect: TL218
            tf.keras.layers.GlobalAveragePooling2D(data_format="channels_first"),
            tf.keras.layers.Dense(5),
        ])
    """,
    "functional-chain": """
        from tensorflow import keras

        inputs = keras.Input((3, 32, 32))
        x = keras.layers.Conv2D(8, 3, padding="same", data_format="channels_first")(inputs)
        x = keras.layers.LeakyReLU()(x)
        x = keras.layers.UpSampling2D(size=2)(x)  # expect: TL218
        x = keras.layers.Conv2D(3, 3, padding="same", data_format="channels_first")(x)
        model = keras.Model(inputs, x)
    """,
    "keras2-module-paths-in-a-function": """
        from keras.models import Sequential
        from keras.layers.convolutional import Conv2D
        from keras.layers.pooling import MaxPooling2D, GlobalMaxPooling2D
        from keras.layers.core import Dense

        def build(n_classes):
            model = Sequential()
            model.add(Conv2D(64, (3, 3), data_format="channels_first", input_shape=(1, 48, 48)))
            model.add(MaxPooling2D((2, 2), data_format="channels_first"))
            model.add(Conv2D(64, (3, 3), data_format="channels_first"))
            model.add(GlobalMaxPooling2D())  # expect: TL218
            model.add(Dense(n_classes, activation="softmax"))
            return model
    """,
    "layer-from-another-file-states-its-format": """
        from keras.models import Sequential
        from keras.layers import BatchNormalization, MaxPooling2D, Flatten, Dense
        from custom_layers import QuantConv2D

        model = Sequential()
        model.add(QuantConv2D(128, kernel_size=3, data_format="channels_first", input_shape=(1, 28, 28), padding="same"))
        model.add(BatchNormalization(axis=1))
        model.add(MaxPooling2D(pool_size=2))  # expect: TL218
        model.add(Flatten())
        model.add(Dense(10))
    """,
    # -- silent ----------------------------------------------------------------------------
    "format-on-every-layer": """
        import keras
        from keras import layers

        model = keras.Sequential([
            layers.Conv2D(16, 3, data_format="channels_first", input_shape=(1, 28, 28)),
            layers.MaxPooling2D(2, data_format="channels_first"),
            layers.Conv2D(16, 3, data_format="channels_first"),
            layers.GlobalAveragePooling2D(data_format="channels_first"),
        ])
    """,
    "format-set-for-the-program": """
        import keras
        from keras import layers

        keras.config.set_image_data_format("channels_first")
        model = keras.Sequential([layers.Conv2D(16, 3, data_format="channels_first", input_shape=(1, 28, 28)),
                                  layers.MaxPooling2D(2)])
    """,
    "layout-restored-or-flattened": """
        import tensorflow as tf

        fmt = "channels_first"
        a = tf.keras.Sequential([tf.keras.layers.Conv2D(8, 3, data_format="channels_first", input_shape=(1, 28, 28)),
                                 tf.keras.layers.Permute((2, 3, 1)), tf.keras.layers.MaxPooling2D(2)])
        b = tf.keras.Sequential([tf.keras.layers.Conv2D(8, 3, data_format="channels_first", input_shape=(1, 28, 28)),
                                 tf.keras.layers.Flatten(), tf.keras.layers.Dense(64),
                                 tf.keras.layers.Reshape((8, 8, 1)), tf.keras.layers.MaxPooling2D(2)])
        c = tf.keras.Sequential([tf.keras.layers.Conv2D(8, 3, data_format=fmt, input_shape=(1, 28, 28)),
                                 tf.keras.layers.MaxPooling2D(2)])
        d = tf.keras.Sequential([tf.keras.layers.Conv2D(8, 3, data_format="channels_first", input_shape=(1, 28, 28)),
                                 tf.keras.layers.Conv2D(8, 1, data_format="channels_last"),
                                 tf.keras.layers.MaxPooling2D(2)])
    """,
    "same-name-in-another-function": """
        from tensorflow import keras

        def stem(inputs):
            x = keras.layers.Conv2D(8, 3, data_format="channels_first")(inputs)
            return x

        def head(x):
            x = keras.layers.MaxPooling2D(2)(x)
            return keras.layers.Flatten()(x)
    """,
    # each branch of an `if` adds its own first layer: the branches are ways of building the
    # model, not layers in a row; what follows the `if` follows each of them
    "branches-add-their-own-format": """
        import sys
        from tensorflow import keras
        from tensorflow.keras import layers

        channels_first = len(sys.argv) > 1
        model = keras.Sequential()
        if channels_first:
            model.add(layers.Conv2D(8, 3, input_shape=(1, 28, 28), data_format="channels_first"))
        else:
            model.add(layers.Conv2D(8, 3, input_shape=(28, 28, 1)))
        model.add(layers.Flatten())

        def build(first, last):
            net = keras.Sequential()
            if first:
                net.add(layers.Conv2D(8, 3, data_format="channels_first"))
                net.add(layers.MaxPooling2D(data_format="channels_first"))
            elif last:
                net.add(layers.Conv2D(8, 3, data_format="channels_last"))
            else:
                net.add(layers.Conv2D(8, 3))
            net.add(layers.MaxPooling2D(data_format="channels_first" if first else "channels_last"))
            return net
    """,
    "branch-then-a-shared-default-layer": """
        import sys
        from tensorflow import keras
        from tensorflow.keras import layers

        model = keras.Sequential()
        if len(sys.argv) > 1:
            model.add(layers.Conv2D(8, 3, input_shape=(1, 28, 28), data_format="channels_first"))
        else:
            model.add(layers.Conv2D(8, 3, input_shape=(28, 28, 1)))
        model.add(layers.MaxPooling2D())  # expect: TL218

        def build(first):
            net = keras.Sequential()
            if first:
                net.add(layers.Conv2D(8, 3, data_format="channels_first"))
                net.add(layers.MaxPooling2D())  # expect: TL218
            else:
                net.add(layers.Conv2D(8, 3))
            net.add(layers.Flatten())
            return net
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_data_format_mixed_written_several_ways(name):
    marked, found = marked_and_found("TL218", name, CASES[name])
    assert found == marked


def test_message_names_the_layer_that_set_channels_first():
    f = only_finding("TL218", CASES["keras3-model-add"], Config())
    assert "MaxPooling2D takes the default data_format='channels_last'" in f.message
    assert "Conv2D before it (line 5)" in f.message
    assert [r.span.start.line for r in f.related] == [5]
