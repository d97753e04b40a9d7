"""The static analyzer never imports torch, tensorflow or keras."""
import subprocess
import sys

PROGRAM = """
import sys
from tensorlint.engine import analyze
from tensorlint.config import Config
text = '''
import torch
import torch.nn as nn
import tensorflow as tf
import keras
from tensorflow import keras as tfk
model = nn.Linear(10, 1)
model(torch.randint(0, 10, (4, 10)))
k = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
k.fit(tf.random.normal((4, 5)), tf.zeros((4, 2)))
'''
found = analyze(text, "prog.py", Config(select=("ALL",))).findings
assert {f.code for f in found} >= {"TL101", "TL203"}, found
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("torch", "tensorflow", "keras", "jax"))
print(",".join(heavy))
"""


def test_analysis_imports_no_framework():
    out = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
