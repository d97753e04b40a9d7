"""TL508: a tokenizer, normalization layer or scaler fitted on the training data joined with the
data the model is validated or evaluated on. Each case marks its expected findings with
`# expect: TL508`; the look-alikes mark none."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ALL = Config(select=("ALL",))

BUGS = {
    # a translation model: both tokenizers fitted on the training and the validation sentences,
    # the four sequence lists padded item by item in one unpacking
    "tokenizers-in-a-function-padded-by-unpacking": """
        import numpy as np
        from keras.layers import Input, Embedding, LSTM, Dense
        from keras.models import Model
        from keras.preprocessing.text import Tokenizer
        from keras.utils import pad_sequences

        def main(src_train, src_val, tgt_train, tgt_val):
            src_tok = Tokenizer(num_words=5000, oov_token='?')
            tgt_tok = Tokenizer(num_words=5000, oov_token='?')
            src_tok.fit_on_texts(src_train + src_val)  # expect: TL508
            tgt_tok.fit_on_texts(tgt_train + tgt_val)  # expect: TL508
            x_train = src_tok.texts_to_sequences(src_train)
            x_val = src_tok.texts_to_sequences(src_val)
            y_train = tgt_tok.texts_to_sequences(tgt_train)
            y_val = tgt_tok.texts_to_sequences(tgt_val)
            x_train, x_val, y_train, y_val = (pad_sequences(s, maxlen=20, padding='post')
                                              for s in [x_train, x_val, y_train, y_val])
            inp = Input((20,))
            out = Dense(5000, activation='softmax')(LSTM(64, return_sequences=True)(Embedding(5000, 32)(inp)))
            model = Model(inp, out)
            model.compile(loss='sparse_categorical_crossentropy', optimizer='adam')
            model.fit(x_train, y_train[:, :, None], validation_data=(x_val, y_val[:, :, None]))
    """,
    # scikit-learn scaler over stacked arrays, the test rows scored with evaluate
    "standard-scaler-fit-transform-of-stacked-rows": """
        import numpy as np
        import tensorflow as tf
        from sklearn.preprocessing import StandardScaler

        X_train, X_test = np.random.rand(800, 6), np.random.rand(200, 6)
        y_train, y_test = np.random.rand(800), np.random.rand(200)
        scaler = StandardScaler()
        scaler.fit(np.vstack([X_train, X_test]))  # expect: TL508
        X_train_s = scaler.transform(X_train)
        X_test_s = scaler.transform(X_test)
        model = tf.keras.Sequential([tf.keras.Input((6,)), tf.keras.layers.Dense(1)])
        model.compile(optimizer='adam', loss='mse')
        model.fit(X_train_s, y_train, epochs=3)
        model.evaluate(X_test_s, y_test)
    """,
    # a pandas frame of both splits, a text vectorization layer adapted on a list join
    "pandas-concat-and-text-vectorization": """
        import numpy as np
        import pandas as pd
        import keras
        from sklearn.preprocessing import MinMaxScaler

        train_df = pd.DataFrame(np.random.rand(100, 3), columns=['a', 'b', 'c'])
        valid_df = pd.DataFrame(np.random.rand(20, 3), columns=['a', 'b', 'c'])
        scaler = MinMaxScaler()
        scaler.fit(pd.concat([train_df, valid_df]))  # expect: TL508
        train_texts = ['good', 'bad'] * 50
        valid_texts = ['fine', 'awful'] * 10
        vectorize = keras.layers.TextVectorization(max_tokens=100, output_sequence_length=4)
        vectorize.adapt(train_texts + valid_texts)  # expect: TL508
        x = scaler.transform(train_df)
        xv = scaler.transform(valid_df)
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        model.compile(optimizer='adam', loss='mse')
        model.fit(x, np.random.rand(100), validation_data=(xv, np.random.rand(20)))
        text_model = keras.Sequential([keras.Input((4,)), keras.layers.Embedding(100, 8), keras.layers.Flatten(),
                                       keras.layers.Dense(1)])
        text_model.compile(optimizer='adam', loss='mse')
        text_model.fit(vectorize(np.array(train_texts)), np.random.rand(100),
                       validation_data=(vectorize(np.array(valid_texts)), np.random.rand(20)))
    """,
    # the rows of pandas columns joined as lists
    "tokenizer-on-column-lists": """
        import pandas as pd
        import tensorflow as tf
        from tensorflow.keras.preprocessing.text import Tokenizer
        from tensorflow.keras.preprocessing.sequence import pad_sequences

        train = pd.read_csv('train.csv')
        test = pd.read_csv('test.csv')
        tokenizer = Tokenizer(num_words=20000)
        tokenizer.fit_on_texts(list(train['text']) + test['text'].tolist())  # expect: TL508
        x_train = pad_sequences(tokenizer.texts_to_sequences(train['text']), maxlen=50)
        model = tf.keras.Sequential([tf.keras.layers.Embedding(20000, 32), tf.keras.layers.GlobalAveragePooling1D(),
                                     tf.keras.layers.Dense(1, activation='sigmoid')])
        model.compile(optimizer='adam', loss='binary_crossentropy')
        model.fit(x_train, train['label'].values, epochs=1)
        x_test = pad_sequences(tokenizer.texts_to_sequences(test['text']), maxlen=50)
        model.evaluate(x_test, test['label'].values)
    """,
}

LOOKALIKES = {
    # fitted on the training rows alone
    "fitted-on-training-rows": """
        import numpy as np
        import tensorflow as tf
        from sklearn.preprocessing import StandardScaler

        X_train, X_test = np.random.rand(800, 6), np.random.rand(200, 6)
        y_train, y_test = np.random.rand(800), np.random.rand(200)
        scaler = StandardScaler()
        X_train_s = scaler.fit_transform(X_train)
        model = tf.keras.Sequential([tf.keras.Input((6,)), tf.keras.layers.Dense(1)])
        model.compile(optimizer='adam', loss='mse')
        model.fit(X_train_s, y_train, validation_data=(scaler.transform(X_test), y_test))
    """,
    # the joined data is all trained on (the model fits the concatenation)
    "joined-data-is-the-training-data": """
        import numpy as np
        import tensorflow as tf
        from sklearn.preprocessing import StandardScaler

        X_a, X_b, X_test = np.random.rand(400, 6), np.random.rand(400, 6), np.random.rand(200, 6)
        y, y_test = np.random.rand(800), np.random.rand(200)
        X_test_more = np.random.rand(50, 6)
        scaler = StandardScaler()
        X_all = scaler.fit_transform(np.concatenate([X_a, X_b]))
        model = tf.keras.Sequential([tf.keras.Input((6,)), tf.keras.layers.Dense(1)])
        model.compile(optimizer='adam', loss='mse')
        model.fit(X_all, y, validation_data=(scaler.transform(X_test), y_test))
    """,
    # the validation rows are trained on too (a final fit on everything): no held-out rows
    "final-fit-on-all-rows": """
        import numpy as np
        import tensorflow as tf

        x_train, x_val = np.random.rand(800, 6), np.random.rand(200, 6)
        y_train, y_val = np.random.rand(800), np.random.rand(200)
        norm = tf.keras.layers.Normalization()
        norm.adapt(np.concatenate([x_train, x_val]))
        model = tf.keras.Sequential([tf.keras.Input((6,)), norm, tf.keras.layers.Dense(1)])
        model.compile(optimizer='adam', loss='mse')
        model.fit(x_train, y_train, validation_data=(x_val, y_val))
        model.fit(np.concatenate([x_train, x_val]), np.concatenate([y_train, y_val]))
    """,
    # a model's own fit on joined arrays, and a label encoder over both splits' classes
    "model-fit-and-label-encoder": """
        import numpy as np
        import keras
        from sklearn.preprocessing import LabelEncoder

        x_train, x_test = np.random.rand(80, 4), np.random.rand(20, 4)
        y_train, y_test = np.array(['a', 'b'] * 40), np.array(['a', 'b'] * 10)
        enc = LabelEncoder()
        enc.fit(np.concatenate([y_train, y_test]))
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation='softmax')])
        model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
        model.fit(np.concatenate([x_train, x_test]), enc.transform(np.concatenate([y_train, y_test])))
        model.evaluate(x_test, enc.transform(y_test))
    """,
    # the validation rows reach training through a list grown in a loop
    "validation-rows-appended-to-training-batches": """
        import numpy as np
        import tensorflow as tf

        x_train, x_val = np.random.rand(800, 6), np.random.rand(200, 6)
        y_train, y_val = np.random.rand(800), np.random.rand(200)
        norm = tf.keras.layers.Normalization()
        norm.adapt(np.concatenate([x_train, x_val]))
        model = tf.keras.Sequential([tf.keras.Input((6,)), norm, tf.keras.layers.Dense(1)])
        model.compile(optimizer='adam', loss='mse')
        model.fit(x_train, y_train, validation_data=(x_val, y_val))
        batches = []
        for row in x_val:
            batches.append(row)
        model.train_on_batch(np.stack(batches), y_val)
    """,
    # the tokenizer and the evaluation live in different functions: the program does not say
    # which data the evaluation reads
    "evaluation-in-another-function": """
        import numpy as np
        import keras
        from keras.preprocessing.text import Tokenizer

        def vocabulary(texts_train, texts_val):
            tok = Tokenizer(num_words=100)
            tok.fit_on_texts(texts_train + texts_val)
            return tok

        def score(model, x, y):
            return model.evaluate(x, y)
    """,
}


def _found(text: str) -> list:
    return sorted(f.line for f in analyze(textwrap.dedent(text), "train.py", ALL).findings if f.code == "TL508")


def _expected(text: str) -> list:
    return [i for i, line in enumerate(textwrap.dedent(text).splitlines(), 1) if "# expect: TL508" in line]


@pytest.mark.parametrize("name", sorted(BUGS))
def test_fit_on_training_joined_with_evaluation_data(name):
    assert _expected(BUGS[name])
    assert _found(BUGS[name]) == _expected(BUGS[name])


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_look_alikes_stay_silent(name):
    assert _found(LOOKALIKES[name]) == []


def test_the_message_names_both_parts():
    finding = next(f for f in analyze(textwrap.dedent(BUGS["standard-scaler-fit-transform-of-stacked-rows"]),
                                      "train.py", ALL).findings if f.code == "TL508")
    assert "`X_test`" in finding.message and "`X_train`" in finding.message and "StandardScaler" in finding.message
