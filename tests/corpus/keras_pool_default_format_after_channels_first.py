"""A Keras CNN whose convolutions are channels_first but whose pooling layer keeps the default format.

Silent: MaxPooling2D reads the [N, 16, 28, 28] feature map as channels-last, so it pools over
the channel and height axes ([N, 8, 14, 28]) instead of height and width; the shapes still fit
the Flatten and Dense after it, and the model builds and compiles (it would train on scrambled
features; TensorFlow runs channels_first convolutions on a GPU only, so the check stops at the shapes).
"""
# runtime: runs
import keras
from keras import layers

model = keras.Sequential()
model.add(keras.Input((1, 28, 28)))
model.add(layers.Conv2D(16, 3, padding="same", data_format="channels_first"))
model.add(layers.BatchNormalization(axis=1))
model.add(layers.Activation("relu"))
model.add(layers.MaxPooling2D(pool_size=2))  # expect: TL218
model.add(layers.Flatten())
model.add(layers.Dense(10))
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
pooled_shape = tuple(model.layers[3].output.shape)
