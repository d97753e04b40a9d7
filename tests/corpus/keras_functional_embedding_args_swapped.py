"""A Keras two-input question-answering model whose text Embedding has input_dim and output_dim swapped."""
# runtime: raises InvalidArgumentError
import numpy as np
import keras
from keras import layers

VOCAB, ANSWERS = 10000, 50
text_input = keras.Input(shape=(None,), dtype="int32", name="text")
embedded_text = layers.Embedding(64, VOCAB)(text_input)  # expect: TL215
encoded_text = layers.LSTM(32)(embedded_text)
question_input = keras.Input(shape=(None,), dtype="int32", name="question")
embedded_question = layers.Embedding(VOCAB, 32)(question_input)
encoded_question = layers.LSTM(16)(embedded_question)
merged = layers.concatenate([encoded_text, encoded_question], axis=-1)
answer = layers.Dense(ANSWERS, activation="softmax")(merged)
model = keras.Model([text_input, question_input], answer)
model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")

text = np.random.randint(1, VOCAB, size=(256, 40))
question = np.random.randint(1, VOCAB, size=(256, 10))
model.fit([text, question], np.random.randint(0, ANSWERS, size=256), epochs=1, batch_size=64, verbose=0)
