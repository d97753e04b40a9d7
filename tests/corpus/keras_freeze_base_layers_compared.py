"""A tf.keras transfer-learning script that meant to freeze its feature extractor before training a new head.

Silent: `layer.trainable == False` compares and drops the result, so every layer of the
feature extractor stays trainable and the first epochs of the new head overwrite the learned
features instead of only fitting the classifier on top of them.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

rng = np.random.default_rng(1)
images = rng.random((64, 32, 32, 3)).astype("float32")
labels = rng.integers(0, 5, size=64)

base = tf.keras.Sequential([
    tf.keras.layers.Conv2D(16, 3, activation="relu", padding="same", input_shape=(32, 32, 3)),
    tf.keras.layers.MaxPooling2D(),
    tf.keras.layers.Conv2D(32, 3, activation="relu", padding="same"),
    tf.keras.layers.GlobalAveragePooling2D(),
], name="feature_extractor")


def build_classifier(base, num_classes, freeze=True):
    if freeze:
        for layer in base.layers:
            layer.trainable == False  # expect: TL010
    model = tf.keras.Sequential([
        base,
        tf.keras.layers.Dropout(0.2),
        tf.keras.layers.Dense(num_classes, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


classifier = build_classifier(base, num_classes=5)
classifier.fit(images, labels, batch_size=16, epochs=1, verbose=0)
print(len(classifier.trainable_weights), "trainable weight tensors")
