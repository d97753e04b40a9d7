"""Shape look-alikes that run: sequence labelling with (N, T) sparse labels, an even-sized U-Net skip, a squeezed hand-written MSE, batched attention products and pairwise distances."""
# runtime: runs
import numpy as np
import torch
import torch.nn as nn
from tensorflow import keras

tokens = np.random.rand(16, 12, 4).astype("float32")
tags = np.random.randint(0, 5, size=(16, 12))
tagger = keras.Sequential([
    keras.layers.LSTM(8, return_sequences=True, input_shape=(12, 4)),
    keras.layers.Dense(5),
])
tagger.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
tagger.fit(tokens, tags, epochs=1, verbose=0)

skip = torch.randn(2, 8, 8, 8)
up = nn.ConvTranspose2d(8, 8, 2, stride=2)(nn.MaxPool2d(2)(skip))
merged = torch.cat([up, skip], dim=1)

x = torch.randn(32, 5)
y = x.sum(dim=1)
head = nn.Linear(5, 1)
mse = ((head(x).squeeze(1) - y) ** 2).mean()

q = torch.randn(2, 6, 16)
scores = torch.bmm(q, q.transpose(1, 2)) / 4.0
codes = head.weight @ x.T
a = nn.Linear(5, 3)(x)
spread = ((a[:, None] - a[None]) ** 2).sum(-1).mean()
