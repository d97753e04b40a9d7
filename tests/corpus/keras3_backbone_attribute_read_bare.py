"""A Keras 3 backbone wrapper whose method reads `name_of_backbone`, which only `self` holds, when it builds the classifier."""
# runtime: raises NameError
import numpy as np
import keras


class Backbone:
    def __init__(self, name_of_backbone):
        self.name_of_backbone = name_of_backbone

    def width(self):
        return int(name_of_backbone.replace("dense", ""))  # expect: TL003

    def classifier(self, classes):
        inputs = keras.Input(shape=(8,))
        hidden = keras.layers.Dense(self.width(), activation="relu")(inputs)
        outputs = keras.layers.Dense(classes, activation="softmax")(hidden)
        return keras.Model(inputs, outputs)


model = Backbone("dense16").classifier(3)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(32, 8), np.random.randint(0, 3, size=32), epochs=1, verbose=0)
