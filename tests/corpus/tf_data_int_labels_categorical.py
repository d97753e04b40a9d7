"""A tf.keras classifier trained from a tf.data pipeline of integer labels while compiled with categorical_crossentropy."""
# runtime: raises ValueError
import numpy as np
import tensorflow as tf

features = np.random.rand(96, 12).astype("float32")
labels = np.random.randint(0, 5, 96)
train_ds = tf.data.Dataset.from_tensor_slices((features, labels)).shuffle(96).batch(32).prefetch(tf.data.AUTOTUNE)
model = tf.keras.Sequential([
    tf.keras.Input((12,)),
    tf.keras.layers.Dense(32, activation="relu"),
    tf.keras.layers.Dense(5),
])
model.compile(optimizer="adam", loss=tf.keras.losses.CategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
model.fit(train_ds, epochs=2, verbose=0)  # expect: TL302
