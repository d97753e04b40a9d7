"""A Keras skip-gram model whose word/context similarity is a Dot over axis 0, the batch axis."""
# runtime: raises ValueError
import numpy as np
import keras

VOCAB, DIM = 500, 32
words = np.random.randint(0, VOCAB, size=(256, 1))
contexts = np.random.randint(0, VOCAB, size=(256, 1))
labels = np.random.randint(0, 2, size=(256, 1)).astype("float32")

word_in = keras.Input((1,))
context_in = keras.Input((1,))
word = keras.layers.Reshape((DIM,))(keras.layers.Embedding(VOCAB, DIM)(word_in))
context = keras.layers.Reshape((DIM,))(keras.layers.Embedding(VOCAB, DIM)(context_in))
similarity = keras.layers.Dot(axes=0)([word, context])  # expect: TL216
output = keras.layers.Dense(1, activation="sigmoid")(similarity)
model = keras.Model([word_in, context_in], output)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit([words, contexts], labels, epochs=1, batch_size=32, verbose=0)
