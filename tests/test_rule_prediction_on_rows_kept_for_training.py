"""TL511: a prediction on the first k rows of training data that was sliced from row k on, while
the k rows set aside are read nowhere. Written several ways: a torch sequence model trained
with LBFGS in a closure (the time-sequence example), a torch regression trained in a loop, a
Keras model trained by `fit` that predicts with `predict`, and the CLI on a file. The look-alikes
use the rows set aside, predict on another number of rows, predict with a model that was not
trained on those rows, or rebind the array."""
from __future__ import annotations

import subprocess
import sys
import textwrap

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL511",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "train.py", ONLY).findings)


SEQUENCE = """
    import numpy as np
    import torch
    import torch.nn as nn
    import torch.optim as optim


    class Sequence(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTMCell(1, 32)
            self.out = nn.Linear(32, 1)

        def forward(self, input, future=0):
            h = torch.zeros(input.size(0), 32, dtype=torch.double)
            c = torch.zeros(input.size(0), 32, dtype=torch.double)
            outputs = []
            for x in input.chunk(input.size(1), dim=1):
                h, c = self.lstm(x, (h, c))
                outputs.append(self.out(h))
            return torch.cat(outputs, 1)


    if __name__ == "__main__":
        data = np.sin(np.arange(100 * 50).reshape(100, 50) / 10.0)
        input = torch.from_numpy(data[3:, :-1])
        target = torch.from_numpy(data[3:, 1:])
        seq = Sequence().double()
        criterion = nn.MSELoss()
        optimizer = optim.LBFGS(seq.parameters())
        for i in range(3):
            def closure():
                optimizer.zero_grad()
                loss = criterion(seq(input), target)
                loss.backward()
                return loss
            optimizer.step(closure)
            pred = seq({predicted}, future=100)
            {more}
"""


def test_sequence_model_predicts_on_its_first_training_rows():
    assert _lines(SEQUENCE.format(predicted="input[:3]", more="")) == [37]


def test_regression_loop_and_keras_fit_predict():
    torch_src = """
        import numpy as np
        import torch
        import torch.nn as nn

        table = np.loadtxt("houses.csv", delimiter=",")
        features = torch.tensor(table[20:, :-1], dtype=torch.float32)
        prices = torch.tensor(table[20:, -1:], dtype=torch.float32)
        net = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
        opt = torch.optim.Adam(net.parameters())
        for epoch in range(10):
            opt.zero_grad()
            loss = nn.functional.mse_loss(net(features), prices)
            loss.backward()
            opt.step()
        with torch.no_grad():
            print(net(features[:20]))
    """
    assert _lines(torch_src) == [16]
    keras_src = """
        import numpy as np
        from tensorflow import keras

        series = np.load("series.npy")
        x_train = series[50:, :-1]
        y_train = series[50:, -1]
        model = keras.Sequential([keras.Input((9,)), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(x_train, y_train, epochs=5)
        check = model.predict(x_train[:50])
    """
    assert _lines(keras_src) == [10]


def test_rows_set_aside_and_used_are_silent():
    more = "test_pred = seq(torch.from_numpy(data[:3, :-1]), future=100)"
    assert _lines(SEQUENCE.format(predicted="input[:3]", more=more)) == []


def test_other_counts_models_and_bindings_are_silent():
    # another number of rows than the number set aside
    assert _lines(SEQUENCE.format(predicted="input[:5]", more="")) == []
    # the fixed program: the held-out rows
    assert _lines(SEQUENCE.format(predicted="torch.from_numpy(data[:3, :-1])", more="")) == []
    # a model not trained on those rows
    src = SEQUENCE.format(predicted="input[:3]", more="").replace("pred = seq(", "pred = Sequence().double()(")
    assert _lines(src) == []
    # the array rebound: which rows it holds is not one fact
    src = SEQUENCE.format(predicted="input[:3]", more="data = data * 2")
    assert _lines(src) == []


def test_cli_reports_the_prediction(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(textwrap.dedent(SEQUENCE.format(predicted="input[:3]", more="")).lstrip("\n"))
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL511", str(path)],
                         capture_output=True, text=True).stdout
    assert "train.py:37:" in out and "`data[:3]`" in out and "TL511" in out


def test_a_function_that_is_not_a_model_is_silent():
    src = """
        import numpy as np

        data = np.load("rows.npy")
        train = data[5:]
        print(train)
        print(train[:5])
    """
    assert _lines(src) == []
