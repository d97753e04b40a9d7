"""A tf.keras classifier whose validation pipeline is built by the same call as its training pipeline.

Silent: `valid_ds` reads the same shard with the same steps as `train_ds` (the split argument was
copied), so the validation loss is a training loss: it keeps falling while the model memorizes
random labels, and early stopping never sees the overfitting.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
shards = {
    "train": (rng.normal(size=(256, 16)).astype("float32"), rng.integers(0, 2, size=(256, 1)).astype("float32")),
    "valid": (rng.normal(size=(64, 16)).astype("float32"), rng.integers(0, 2, size=(64, 1)).astype("float32")),
}


def make_dataset(split, batch_size=32):
    features, labels = shards[split]
    return tf.data.Dataset.from_tensor_slices((features, labels)).batch(batch_size)


train_ds = make_dataset("train")
valid_ds = make_dataset("train")  # expect: TL428

model = tf.keras.Sequential([
    tf.keras.Input((16,)),
    tf.keras.layers.Dense(64, activation="relu"),
    tf.keras.layers.Dense(1),
])
model.compile(optimizer="adam", loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))
history = model.fit(train_ds, validation_data=valid_ds, epochs=15, verbose=0)
val_losses = history.history["val_loss"]
