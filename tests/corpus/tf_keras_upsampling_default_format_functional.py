"""A tf.keras functional decoder: channels_first convolutions around an UpSampling2D left at the default format.

Silent: UpSampling2D doubles the channel and height axes of the [N, 8, 16, 16] tensor
([N, 16, 32, 16]) instead of height and width; the channels_first convolution after it then sees
16 channels of a 32x16 image, and the model still builds and compiles (TensorFlow runs
channels_first convolutions on a GPU only, so the check stops at the shapes).
"""
# runtime: runs
import tensorflow as tf

inputs = tf.keras.Input((4, 16, 16))
h = tf.keras.layers.Conv2D(8, 3, padding="same", data_format="channels_first")(inputs)
h = tf.keras.layers.LeakyReLU()(h)
h = tf.keras.layers.UpSampling2D(size=2)(h)  # expect: TL218
upsampled_shape = tuple(h.shape)
outputs = tf.keras.layers.Conv2D(1, 3, padding="same", data_format="channels_first")(h)
model = tf.keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
