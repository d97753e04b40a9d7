"""A tf.keras fine-tuning script whose freeze branch tests --mode for a value of --transfer.

Silent: `FLAGS.mode` can only be 'fit' or 'eager_fit' (DEFINE_enum rejects anything else), so
`FLAGS.mode == 'frozen'` is always False and `--transfer frozen` trains every layer.
"""
# runtime: runs
import numpy as np
import tensorflow as tf
from absl import flags

flags.DEFINE_enum("mode", "fit", ["fit", "eager_fit"], "how to train")
flags.DEFINE_enum("transfer", "none", ["none", "fine_tune", "frozen"], "what to keep of the base model")
FLAGS = flags.FLAGS
FLAGS(["train.py", "--transfer=frozen"])

base = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(16, activation="relu")])
model = tf.keras.Sequential([base, tf.keras.layers.Dense(1)])
if FLAGS.transfer == "fine_tune":
    base.layers[0].trainable = False
elif FLAGS.mode == "frozen":  # expect: TL437
    base.trainable = False

model.compile(optimizer="adam", loss="mse", run_eagerly=FLAGS.mode == "eager_fit")
x = np.random.rand(64, 8).astype("float32")
history = model.fit(x, x.sum(axis=1, keepdims=True), epochs=1, verbose=0)
