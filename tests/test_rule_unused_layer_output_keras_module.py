"""TL414 unused-layer-output for Keras functional models built at module level (notebooks and
scripts): a layer applied and its output left unused while the `Model` (by keyword or by
position, `keras.Model`, `tf.keras.Model`, `keras.models.Model`) or the next layer is given the
layer's own input; and the look-alikes that stay silent: the output used later, printed, or
given to another model, a name bound again after being read, two models over one input.
Each case marks its expected findings with `# expect: TL414`."""
from __future__ import annotations

import pytest

from tensorlint.config import Config

from corpus_support import marked_and_found, only_finding

CASES = {
    "tf-keras-model-outputs-keyword": """
        import tensorflow as tf
        from tensorflow.keras import layers

        token_inputs = layers.Input(shape=(20,), name="tokens")
        token_embeddings = layers.Embedding(1000, 64)(token_inputs)
        token_pooled = layers.GlobalAveragePooling1D()(token_embeddings)
        token_outputs = layers.Dense(128, activation="relu")(token_pooled)  # expect: TL414
        token_model = tf.keras.Model(inputs=token_inputs, outputs=token_pooled)
        token_model.summary()
    """,
    "keras3-model-positional": """
        import keras

        inputs = keras.Input((32,))
        hidden = keras.layers.Dense(64, activation="relu")(inputs)
        hidden2 = keras.layers.Dense(64, activation="relu")(hidden)  # expect: TL414
        model = keras.Model(inputs, hidden)
        model.compile(optimizer="adam", loss="mse")
    """,
    "legacy-import-next-layer-fed-stale": """
        from keras.models import Model
        from keras.layers import Input, Dense, Dropout

        x_in = Input(shape=(100,))
        h = Dense(256, activation="relu")(x_in)
        h_drop = Dropout(0.5)(h)  # expect: TL414
        out = Dense(10, activation="softmax")(h)
        model = Model(x_in, out)
        model.compile(optimizer="adam", loss="categorical_crossentropy")
    """,
    # -- silent ----------------------------------------------------------------------------
    "output-used-later": """
        import tensorflow as tf

        inputs = tf.keras.Input((32,))
        hidden = tf.keras.layers.Dense(64, activation="relu")(inputs)
        skip = tf.keras.layers.Dense(64)(inputs)
        merged = tf.keras.layers.Add()([hidden, skip])
        model = tf.keras.Model(inputs=inputs, outputs=merged)
    """,
    "output-printed-or-given-to-another-model": """
        import keras

        inputs = keras.Input((32,))
        features = keras.layers.Dense(16)(inputs)
        probe = keras.layers.Dense(4)(features)
        print(probe.shape)
        encoder = keras.Model(inputs, features)
        head = keras.layers.Dense(1)(features)
        full = keras.Model(inputs, head)
        encoder_only = keras.Model(inputs, features)
    """,
    "two-models-over-one-input": """
        import keras

        inputs = keras.Input((32,))
        model_a = keras.Model(inputs, keras.layers.Dense(1)(inputs))
        model_b = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_unused_layer_output_keras_module_written_several_ways(name):
    marked, found = marked_and_found("TL414", name, CASES[name])
    assert found == marked


def test_message_names_the_model_fed_the_stale_value():
    f = only_finding("TL414", CASES["tf-keras-model-outputs-keyword"], Config())
    assert "`token_outputs`, the output of `Dense`" in f.message
    assert "`tf.keras.Model` (line 8), is fed `token_pooled`" in f.message


NEVER_CALLED = {
    "tf-keras-subclassed-model": """
        import tensorflow as tf
        from tensorflow.keras import layers

        class NeuralNet(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.fc1 = layers.Dense(128, activation="relu")
                self.fc2 = layers.Dense(256, activation="relu")  # expect: TL414
                self.out = layers.Dense(10)

            def call(self, x, training=False):
                x = self.fc1(x)
                return self.out(x)

        net = NeuralNet()
    """,
    "keras3-subclassed-model": """
        import keras

        class Tagger(keras.Model):
            def __init__(self, vocab):
                super().__init__()
                self.embed = keras.layers.Embedding(vocab, 32)
                self.rnn = keras.layers.LSTM(64, return_sequences=True)  # expect: TL414
                self.head = keras.layers.Dense(5)

            def call(self, ids):
                return self.head(self.embed(ids))

        model = Tagger(1000)
    """,
    "torch-module": """
        import torch
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv1 = nn.Conv2d(1, 8, 3)
                self.conv2 = nn.Conv2d(8, 16, 3)  # expect: TL414
                self.fc = nn.Linear(8 * 26 * 26, 10)
                self.dropout = nn.Dropout(0.5)

            def forward(self, x):
                x = torch.relu(self.conv1(x))
                return self.fc(x.flatten(1))

        model = Net()
    """,
    # -- silent ----------------------------------------------------------------------------
    "used-in-another-method-or-outside": """
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.body = nn.Linear(8, 8)
                self.aux = nn.Linear(8, 2)
                self.head = nn.Linear(8, 1)

            def forward(self, x):
                return self.head(self.body(x))

            def auxiliary(self, x):
                return self.aux(self.body(x))

        class Wrapper(nn.Module):
            def __init__(self):
                super().__init__()
                self.inner = nn.Linear(4, 4)
                self.unused_by_forward = nn.Linear(4, 4)

            def forward(self, x):
                return self.inner(x)

        net, w = Net(), Wrapper()
        extra = w.unused_by_forward
    """,
    "reached-by-name-or-not-built-here": """
        import tensorflow as tf

        class Stack(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.d1 = tf.keras.layers.Dense(8)
                self.d2 = tf.keras.layers.Dense(8)

            def call(self, x):
                for name in ("d1", "d2"):
                    x = getattr(self, name)(x)
                return x

        s = Stack()
    """,
    "class-the-file-never-builds": """
        import tensorflow as tf

        class Library(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.a = tf.keras.layers.Dense(8)
                self.b = tf.keras.layers.Dense(8)

            def call(self, x):
                return self.a(x)
    """,
}


@pytest.mark.parametrize("name", sorted(NEVER_CALLED))
def test_layer_never_called_written_several_ways(name):
    marked, found = marked_and_found("TL414", name, NEVER_CALLED[name])
    assert found == marked
