"""A Keras 3 seq2seq encoder built with the embedding width and the sentence length in each other's place.

Silent: Encoder takes (vocab_size, num_timesteps, embedding_dim, units) but is built as
Encoder(vocab_size, embedding_dim, maxlen, units); the embedding is MAXLEN (20) wide instead of
EMBEDDING_DIM (64), and the model trains without an error on the narrower vectors.
"""
# runtime: runs
import numpy as np
import keras

VOCAB_SIZE, EMBEDDING_DIM, MAXLEN, UNITS = 500, 64, 20, 32


class Encoder(keras.Model):
    def __init__(self, vocab_size, num_timesteps, embedding_dim, units, **kwargs):
        super().__init__(**kwargs)
        self.num_timesteps = num_timesteps
        self.embedding = keras.layers.Embedding(vocab_size, embedding_dim)
        self.rnn = keras.layers.GRU(units)
        self.head = keras.layers.Dense(1, activation="sigmoid")

    def call(self, tokens):
        return self.head(self.rnn(self.embedding(tokens)))


vocab_size, embedding_dim, maxlen = VOCAB_SIZE, EMBEDDING_DIM, MAXLEN
encoder = Encoder(vocab_size, embedding_dim, maxlen, UNITS)  # expect: TL008
encoder.compile(optimizer="adam", loss="binary_crossentropy")
x = np.random.randint(0, VOCAB_SIZE, (64, MAXLEN))
y = np.random.randint(0, 2, (64, 1)).astype("float32")
history = encoder.fit(x, y, epochs=1, batch_size=16, verbose=0)
