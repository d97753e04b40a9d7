"""A Keras 3 review classifier whose TextVectorization vocabulary is adapted on the training and the validation reviews.

Silent: the words that occur only in the validation reviews get their own ids and embedding rows,
so the validation loss is measured with a vocabulary the held-out reviews chose.
"""
# runtime: runs
import numpy as np
import keras

train_reviews = ["a good film", "a bad film", "great acting", "dull plot"] * 40
train_labels = np.array([1, 0, 1, 0] * 40)
val_reviews = ["an awful script", "superb pacing", "a good film", "dull plot"] * 10
val_labels = np.array([0, 1, 1, 0] * 10)

vectorize = keras.layers.TextVectorization(max_tokens=200, output_sequence_length=6)
vectorize.adapt(train_reviews + val_reviews)  # expect: TL508

x_train = vectorize(np.array(train_reviews))
x_val = vectorize(np.array(val_reviews))

model = keras.Sequential([
    keras.Input((6,)),
    keras.layers.Embedding(200, 16),
    keras.layers.GlobalAveragePooling1D(),
    keras.layers.Dense(1),
])
model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))
model.fit(x_train, train_labels, epochs=2, verbose=0, validation_data=(x_val, val_labels))
