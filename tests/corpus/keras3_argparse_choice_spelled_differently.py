"""A Keras 3 script that picks its optimizer from an argparse option, testing a spelling the choices forbid.

Silent: `--optimizer` only accepts 'sgd' or 'adam', so `args.optimizer == 'Adam'` is always False
and the script trains with SGD even when asked for Adam. Its input scaler is a second bug: a
Normalization layer for the one input column, adapted on that column laid out as one row, learns
a variance of 0 for each of 32 features and maps every input to 0.
"""
# runtime: runs
import argparse

import numpy as np
import keras

parser = argparse.ArgumentParser()
parser.add_argument("--optimizer", choices=["sgd", "adam"], default="sgd")
parser.add_argument("--epochs", type=int, default=1)
args = parser.parse_args(["--optimizer", "adam"])

if args.optimizer == "Adam":  # expect: TL437
    optimizer = keras.optimizers.Adam(1e-3)
else:
    optimizer = keras.optimizers.SGD(1e-2)

x = np.random.rand(32, 4).astype("float32")
scaler = keras.layers.Normalization(axis=-1)
scaler.adapt(x[:, 0].reshape(1, -1))  # expect: TL217
scaled_first = np.asarray(scaler(x[:, 0].reshape(1, -1)))

model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
model.compile(optimizer=optimizer, loss="mse")
history = model.fit(x, x[:, :1], epochs=args.epochs, verbose=0)
