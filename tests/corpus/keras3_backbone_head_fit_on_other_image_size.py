"""A Keras 3 classifier on a MobileNetV2 backbone (its input and feature map read from the model) fitted on images of another size than the backbone was built for."""
# runtime: raises ValueError
import numpy as np
import keras

base = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(96, 96, 3))
base.trainable = False
features = keras.layers.GlobalAveragePooling2D()(base.output)
outputs = keras.layers.Dense(5, activation="softmax")(features)
model = keras.Model(base.input, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
images = np.random.rand(16, 64, 64, 3).astype("float32")
labels = np.random.randint(0, 5, size=16)
model.fit(images, labels, epochs=1, verbose=0)  # expect: TL203
