"""A Keras 3 model subclass that passes itself to Model's constructor.

`super().__init__(self)` gives Layer.__init__ a positional argument it does not take: building
the model raises TypeError.
"""
# runtime: raises TypeError
import numpy as np
import keras


class Classifier(keras.Model):
    def __init__(self, n_classes):
        super().__init__(self)  # expect: TL005
        self.hidden = keras.layers.Dense(32, activation="relu")
        self.out = keras.layers.Dense(n_classes, activation="softmax")

    def call(self, x):
        return self.out(self.hidden(x))


model = Classifier(3)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(32, 4), np.random.randint(0, 3, 32), epochs=1, verbose=0)
