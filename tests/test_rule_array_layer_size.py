"""TL111 array-layer-size, written the ways people write it: a data row given as a Dense
layer's units (tf.keras `model.add`, Keras list, keyword `units=`), a tensor row as a torch
layer's feature count (called directly, and inside a module), an array as a Conv2D's filters and
as an Embedding's rows. The look-alikes give the row's length, one element of a one-element
array, a dim of the shape, or an int made from an element. Each case marks its expected
findings with `# expect: TL111`."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

CASES = {
    "tf-keras-add-data-row-as-units": """
    from tensorflow.keras import Sequential
    from tensorflow.keras.layers import Dense
    from sklearn.datasets import make_classification

    training_inputs, training_outputs = make_classification(10000, 5)
    model = Sequential()
    model.add(Dense(training_inputs[0], activation='linear'))  # expect: TL111
    model.add(Dense(2, activation='softmax'))
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
    model.fit(training_inputs, training_outputs)
    """,
    "keras-list-keyword-units": """
    import numpy as np
    import keras

    x_train = np.random.rand(200, 12)
    model = keras.Sequential([
        keras.Input(shape=(12,)),
        keras.layers.Dense(units=x_train[0], activation='relu'),  # expect: TL111
        keras.layers.Dense(1),
    ])
    model.compile(optimizer='adam', loss='mse')
    """,
    "keras-conv-filters-from-an-array": """
    import numpy as np
    from keras.models import Sequential
    from keras.layers import Conv2D, Flatten, Dense

    widths = np.array([16, 32, 64])
    model = Sequential()
    model.add(Conv2D(widths, (3, 3), input_shape=(28, 28, 1)))  # expect: TL111
    model.add(Flatten())
    model.add(Dense(10, activation='softmax'))
    """,
    "torch-linear-called-on-the-data": """
    import torch
    import torch.nn as nn

    x = torch.randn(64, 20)
    layer = nn.Linear(x[0], 10)  # expect: TL111
    out = layer(x)
    """,
    "torch-embedding-rows-from-a-tensor": """
    import torch
    import torch.nn as nn

    ids = torch.randint(0, 100, (8, 16))
    emb = nn.Embedding(ids[0], 32)  # expect: TL111
    vectors = emb(ids)
    """,
    "ok-length-of-a-row-and-class-count": """
    import numpy as np
    import keras

    x = np.random.rand(100, 8)
    y = np.random.randint(0, 3, 100)
    model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(len(x[0])),
                              keras.layers.Dense(np.max(y) + 1, activation='softmax')])
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
    """,
    "ok-shape-dim-and-int-of-an-element": """
    import torch
    import torch.nn as nn

    x = torch.randn(64, 20)
    sizes = torch.tensor([20, 10])
    first = nn.Linear(x.shape[1], 32)
    second = nn.Linear(32, int(sizes[1]))
    out = second(first(x))
    """,
    "ok-element-of-a-one-element-array": """
    import numpy as np
    import tensorflow as tf

    counts = np.array([16])
    model = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(counts[0])])
    model.compile(optimizer='adam', loss='mse')
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_array_layer_size(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config()).findings if f.code == "TL111"}
    assert found == _expected(text)
