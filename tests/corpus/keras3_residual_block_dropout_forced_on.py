"""A Keras 3 temporal convolution block whose `call` calls its sublayers with training=True.

Silent: Keras hands `call` the training flag (True in fit, False in predict and evaluate), but the
block never reads it, so its dropout keeps dropping features and its batch normalization keeps
using batch statistics when the model predicts: two predictions of the same input differ.
"""
# runtime: runs
import numpy as np
import keras


class ResidualBlock(keras.layers.Layer):
    def __init__(self, filters, dilation, rate=0.2, **kwargs):
        super().__init__(**kwargs)
        self.stages = [
            keras.layers.Conv1D(filters, 3, padding="causal", dilation_rate=dilation),
            keras.layers.BatchNormalization(),
            keras.layers.Dropout(rate),
        ]
        self.match = keras.layers.Conv1D(filters, 1)

    def call(self, inputs, training=None):
        x = inputs
        for stage in self.stages:
            x = stage(x, training=True)  # expect: TL425
        return keras.ops.relu(x + self.match(inputs))


inputs = keras.Input((16, 3))
h = ResidualBlock(8, 1)(inputs)
h = ResidualBlock(8, 2)(h)
outputs = keras.layers.Dense(1)(keras.layers.GlobalAveragePooling1D()(h))
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")

x = np.random.rand(32, 16, 3).astype("float32")
y = np.random.rand(32, 1).astype("float32")
model.fit(x, y, epochs=1, batch_size=8, verbose=0)
print(model.predict(x[:2], verbose=0).ravel(), model.predict(x[:2], verbose=0).ravel())
