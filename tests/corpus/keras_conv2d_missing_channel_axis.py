"""A Keras CNN declares grayscale images as input_shape=(28, 28) without the channel axis, so its first Conv2D gets rank-3 input."""
# runtime: raises ValueError
from tensorflow import keras

model = keras.models.Sequential([
    keras.layers.Conv2D(16, kernel_size=3, activation="relu", input_shape=(28, 28)),  # expect: TL210
    keras.layers.MaxPooling2D(),
    keras.layers.Flatten(),
    keras.layers.Dense(10),
])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
