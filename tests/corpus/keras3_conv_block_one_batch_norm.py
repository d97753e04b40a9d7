"""A Keras 3 residual conv block that keeps one BatchNormalization for both of its convolutions.

Silent: `self.bn` normalizes the first convolution's output and then the second convolution's,
computed from it, so the two share one scale, one shift and one pair of moving statistics; the
block holds a single BatchNormalization whose moving mean averages both places.
"""
# runtime: runs
import numpy as np
import keras


class ResidualBlock(keras.layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = keras.layers.Conv2D(filters, 3, padding="same")
        self.conv2 = keras.layers.Conv2D(filters, 3, padding="same")
        self.bn = keras.layers.BatchNormalization()  # expect: TL230

    def call(self, inputs):
        x = keras.activations.relu(self.bn(self.conv1(inputs)))
        x = self.bn(self.conv2(x))
        return keras.activations.relu(x + inputs)


block = ResidualBlock(8)
model = keras.Sequential([keras.Input((16, 16, 8)), block, keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
x = np.random.rand(64, 16, 16, 8).astype("float32")
y = np.random.rand(64, 1).astype("float32")
history = model.fit(x, y, epochs=1, batch_size=16, verbose=0)
