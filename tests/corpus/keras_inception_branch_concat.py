"""A Keras Inception-style block whose 5x5 branch forgot padding='same', so its 28x28 map cannot be concatenated with the 32x32 branches."""
# runtime: raises ValueError
import keras
from keras import layers

inputs = keras.Input(shape=(32, 32, 3))
branch1 = layers.Conv2D(16, 1, padding="same", activation="relu")(inputs)
branch3 = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
branch5 = layers.Conv2D(16, 5, activation="relu")(inputs)
merged = layers.concatenate([branch1, branch3, branch5], axis=-1)  # expect: TL211
outputs = layers.Dense(10)(layers.GlobalAveragePooling2D()(merged))
model = keras.Model(inputs, outputs)
