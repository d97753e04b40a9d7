"""A Keras 3 training function that splits its tf.data pipeline but fits on the whole pipeline.

Silent: `keras.utils.split_dataset` holds back the last 20 % as `val_ds`, but `fit` trains on
`ds`, which still holds those batches, so the validation loss is a training loss.
"""
# runtime: runs
import numpy as np
import tensorflow as tf
import keras


def train(model, features, labels):
    ds = tf.data.Dataset.from_tensor_slices((features, labels)).batch(16)
    train_ds, val_ds = keras.utils.split_dataset(ds, left_size=0.8)
    return model.fit(ds, validation_data=val_ds, epochs=2, verbose=0), val_ds  # expect: TL507


features = np.random.rand(160, 4).astype("float32")
labels = features.sum(axis=1, keepdims=True)
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
history, val_ds = train(model, features, labels)
