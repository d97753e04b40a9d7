"""TL453 fit-input-rebound-in-loop: a loop that trains with `fit(x, y)` (or `train_on_batch`)
and after that call binds `x` again to an array of one sample while `y` stays, in standalone
Keras at module level, tf.keras in a function, Keras 3 with `train_on_batch` and a `reshape`; and
the look-alikes that stay silent: a new name for the sample, online training that makes the
sample and its target before the call, a loop that binds the targets too, inputs rebuilt with
all their rows, inputs bound again before the call in each pass (the loop's own target), and a
one-sample array made after the loop.
Each case marks its expected findings with `# expect: TL453`."""
from __future__ import annotations

import pytest

from tensorlint.config import Config

from corpus_support import marked_and_found, only_finding

CASES = {
    "standalone-keras-module-level": """
        import numpy as np
        from keras.models import Sequential
        from keras.layers import LSTM, Dense

        x = np.zeros((500, 40, 30), dtype=bool)
        y = np.zeros((500, 30), dtype=bool)
        model = Sequential([LSTM(128, input_shape=(40, 30)), Dense(30, activation="softmax")])
        model.compile(loss="categorical_crossentropy", optimizer="rmsprop")
        for iteration in range(1, 60):
            model.fit(x, y, batch_size=128, epochs=1)
            for diversity in [0.2, 0.5]:
                for i in range(400):
                    x = np.zeros((1, 40, 30))  # expect: TL453
                    preds = model.predict(x, verbose=0)[0]
    """,
    "tf-keras-in-a-function": """
        import numpy as np
        import tensorflow as tf

        def train(model, inputs, targets, rounds):
            for r in range(rounds):
                model.fit(x=inputs, y=targets, epochs=1)
                inputs = np.ones((1, 8), dtype="float32")  # expect: TL453
                print(model.predict(inputs))

        net = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        net.compile(loss="mse")
        train(net, np.zeros((64, 8)), np.zeros((64, 1)), 3)
    """,
    "keras3-train-on-batch-reshape": """
        import numpy as np
        import keras

        model = keras.Sequential([keras.layers.Dense(1)])
        model.compile(loss="mse", optimizer="adam")
        batch, labels = np.zeros((32, 4)), np.zeros((32, 1))
        seed = np.zeros(4)
        step = 0
        while step < 100:
            model.train_on_batch(batch, labels)
            batch = seed.reshape(1, -1)  # expect: TL453
            model.predict(batch)
            step += 1
    """,
    # -- silent ----------------------------------------------------------------------------
    "sample-given-its-own-name": """
        import numpy as np
        import keras

        model = keras.Sequential([keras.layers.Dense(1)])
        model.compile(loss="mse")
        x, y = np.zeros((64, 4)), np.zeros((64, 1))
        for epoch in range(10):
            model.fit(x, y)
            x_pred = np.zeros((1, 4))
            model.predict(x_pred)
    """,
    "online-training-sample-before-the-call": """
        import numpy as np
        import keras

        model = keras.Sequential([keras.layers.Dense(1)])
        model.compile(loss="mse")
        target = np.ones((1, 1))
        for step in range(100):
            x = np.zeros((1, 4))
            model.train_on_batch(x, target)
    """,
    "targets-bound-in-the-loop-too": """
        import numpy as np
        import keras

        model = keras.Sequential([keras.layers.Dense(1)])
        model.compile(loss="mse")
        x, y = np.zeros((64, 4)), np.zeros((64, 1))
        for chunk in range(10):
            model.fit(x, y)
            x = np.zeros((1, 4))
            y = np.zeros((1, 1))
    """,
    "inputs-rebuilt-with-all-rows": """
        import numpy as np
        import keras

        model = keras.Sequential([keras.layers.Dense(1)])
        model.compile(loss="mse")
        x, y = np.zeros((64, 4)), np.zeros((64, 1))
        for epoch in range(10):
            model.fit(x, y)
            x = np.zeros((64, 4)) + np.random.rand(64, 4)
    """,
    "inputs-bound-again-before-the-call": """
        import numpy as np
        import keras

        model = keras.Sequential([keras.layers.Dense(1)])
        model.compile(loss="mse")
        y = np.zeros((64, 1))
        for x in [np.zeros((64, 4)), np.ones((64, 4))]:
            model.fit(x, y)
            x = np.zeros((1, 4))
            model.predict(x)
        for epoch in range(3):
            batch = np.random.rand(64, 4)
            model.fit(batch, y)
            batch = np.zeros((1, 4))
            model.predict(batch)
    """,
    "one-sample-after-the-loop": """
        import numpy as np
        import keras

        model = keras.Sequential([keras.layers.Dense(1)])
        model.compile(loss="mse")
        x, y = np.zeros((64, 4)), np.zeros((64, 1))
        for epoch in range(10):
            model.fit(x, y)
        x = np.zeros((1, 4))
        model.predict(x)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_fit_input_rebound_in_loop_written_several_ways(name):
    marked, found = marked_and_found("TL453", name, CASES[name])
    assert found == marked


def test_message_names_the_training_call():
    f = only_finding("TL453", CASES["standalone-keras-module-level"], Config())
    assert "inside the loop that trains with `model.fit(x, y, ...)` (line 10)" in f.message


def test_cli_reports_the_rebinding(tmp_path, capsys):
    import textwrap

    from tensorlint.cli import main

    path = tmp_path / "lstm_text_generation.py"
    path.write_text(textwrap.dedent(CASES["standalone-keras-module-level"]).lstrip("\n"))
    code = main([str(path)])
    out = capsys.readouterr().out
    assert code == 1 and f"{path}:13:13: TL453" in out
