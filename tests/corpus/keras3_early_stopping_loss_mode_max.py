"""A Keras 3 regressor whose EarlyStopping watches the validation loss with mode='max'.

Silent: with mode='max' an epoch counts as an improvement only when the validation loss grows,
so a run whose loss keeps falling stops after `patience` epochs and restores the first epoch's
weights.
"""
# runtime: runs
import numpy as np
import keras

keras.utils.set_random_seed(0)
x = np.random.rand(512, 4).astype("float32")
y = x @ np.array([[1.0], [-2.0], [0.5], [3.0]], dtype="float32")

model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
early = keras.callbacks.EarlyStopping(monitor="val_loss", patience=2, mode="max", restore_best_weights=True)  # expect: TL318
history = model.fit(x, y, validation_split=0.25, epochs=30, callbacks=[early], verbose=0)
