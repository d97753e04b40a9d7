"""A Keras 3 regression script with a linear learning-rate warmup from an argparse option, run with `--lr 3e-4`.

`--lr` has the float default 1e-3 and no type, so the value given on the command line stays the
string '3e-4', and the warmup schedule raises TypeError (a string times a float) when fit calls it at
the first epoch.
"""
# runtime: raises TypeError
import argparse

import numpy as np
import keras

parser = argparse.ArgumentParser(description="train a regressor")
parser.add_argument("--lr", "-l", default=1e-3)  # expect: TL450
parser.add_argument("--warmup-epochs", type=int, default=3)
parser.add_argument("--epochs", type=int, default=2)
args = parser.parse_args(["--lr", "3e-4"])


def warmup(epoch):
    return args.lr * min(1.0, (epoch + 1) / args.warmup_epochs)


x = np.random.rand(128, 6).astype("float32")
y = x.sum(axis=1, keepdims=True)
model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.Adam(), loss="mse")
model.fit(x, y, epochs=args.epochs, callbacks=[keras.callbacks.LearningRateScheduler(warmup)], verbose=0)
