"""Correct: residual blocks, a name reassigned on purpose, an ignored LSTM state and a Keras skip connection."""
# runtime: runs
import torch
import torch.nn as nn
from tensorflow import keras


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(8, 8)
        self.b = nn.Linear(8, 8)
        self.lstm = nn.LSTM(8, 8, batch_first=True)

    def forward(self, x):
        h = torch.relu(self.a(x))
        out = self.b(x) + h
        out = self.b(out)
        seq, (hn, cn) = self.lstm(out.unsqueeze(1))
        return seq.squeeze(1)


def build(n):
    inputs = keras.Input((n,))
    x = keras.layers.Dense(n, activation="relu")(inputs)
    y = keras.layers.Dense(n)(inputs)
    merged = keras.layers.Add()([x, y])
    return keras.Model(inputs, keras.layers.Dense(1)(merged))


Block()(torch.randn(4, 8)).sum().backward()
build(6).predict(torch.randn(2, 6).numpy(), verbose=0)
