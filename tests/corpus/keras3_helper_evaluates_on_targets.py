"""A Keras 3 training helper that scores the model with the held-out labels as its inputs.

Silent: `run(features, labels)` fits on the first 150 rows and then calls
`model.evaluate(test_labels, test_labels)`, rows of the array the model was trained to output;
with one feature and one label column the shapes agree and Keras reports a score that describes
nothing.
"""
# runtime: runs
import numpy as np
import keras


def run(features, labels, n_train=150):
    train_x, train_y = features[:n_train], labels[:n_train]
    test_labels = labels[n_train:]
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(loss=keras.losses.BinaryCrossentropy(from_logits=True), optimizer="adam")
    model.fit(train_x, train_y, epochs=1, verbose=0)
    return model.evaluate(test_labels, test_labels, verbose=0)  # expect: TL506


rng = np.random.default_rng(0)
score = run(rng.random((200, 1)).astype("float32"), (rng.random((200, 1)) > 0.5).astype("float32"))
