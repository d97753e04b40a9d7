"""A Keras 3 sequence tagger whose loss masks the padded time steps by multiplying the one-hot targets and the softmax output by a mask made from the targets.

Silent: categorical cross-entropy divides each predicted row by its sum, so every padded step is 0/0 and the training loss is NaN from the first batch.
"""
# runtime: runs
import numpy as np
import keras
from keras import ops

NUM_TAGS, STEPS, VOCAB = 5, 12, 200


def masked_categorical_crossentropy(y_true, y_pred):
    mask = ops.cast(ops.any(ops.not_equal(y_true, 0.0), axis=-1, keepdims=True), "float32")
    return keras.losses.categorical_crossentropy(y_true * mask, y_pred * mask)  # expect: TL228


tokens = np.random.randint(1, VOCAB, size=(64, STEPS))
tags = np.random.randint(0, NUM_TAGS, size=(64, STEPS))
lengths = np.random.randint(4, STEPS, size=64)
targets = keras.utils.to_categorical(tags, NUM_TAGS)
for row, n in enumerate(lengths):
    tokens[row, n:] = 0
    targets[row, n:] = 0.0  # padded steps have no tag

model = keras.Sequential([
    keras.Input((STEPS,)),
    keras.layers.Embedding(VOCAB, 16),
    keras.layers.LSTM(16, return_sequences=True),
    keras.layers.Dense(NUM_TAGS, activation="softmax"),
])
model.compile(optimizer="adam", loss=masked_categorical_crossentropy)
history = model.fit(tokens, targets, batch_size=16, epochs=1, verbose=0)
