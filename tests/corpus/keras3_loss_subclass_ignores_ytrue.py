"""A Keras 3 Loss subclass (focal-style) whose call casts y_true but returns a value built from y_pred only.

Silent: the returned loss is independent of y_true (it is the same for all-zero and all-one labels).
"""
# runtime: runs
import numpy as np
import keras
from keras import ops


class FocalLoss(keras.losses.Loss):
    def __init__(self, gamma=2.0, name="focal"):
        super().__init__(name=name)
        self.gamma = gamma

    def call(self, y_true, y_pred):  # expect: TL301
        y_true = ops.cast(y_true, y_pred.dtype)
        p = ops.clip(y_pred, 1e-7, 1.0 - 1e-7)
        return ops.mean(-ops.power(1.0 - p, self.gamma) * ops.log(p), axis=-1)


model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss=FocalLoss())
model.fit(np.random.rand(16, 8), np.random.randint(0, 2, (16, 1)).astype("float32"), epochs=1, verbose=0)
