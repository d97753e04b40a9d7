"""A tf.data file list split into validation and training parts with take/skip after list_files' default shuffle.

Silent: list_files reshuffles the file names on every pass, so each epoch's take() draws other
files; over a few passes the validation files are also training files.
"""
# runtime: runs
import os
import tempfile

import tensorflow as tf

folder = tempfile.mkdtemp()
for i in range(40):
    with open(os.path.join(folder, f"sample_{i:02d}.txt"), "w") as handle:
        handle.write(str(i))

files = tf.data.Dataset.list_files(os.path.join(folder, "*.txt"))  # expect: TL504
files = files.shuffle(40, reshuffle_each_iteration=False)
valid_files = files.take(8)
train_files = files.skip(8)

def to_example(path):
    value = tf.strings.to_number(tf.io.read_file(path))
    return tf.reshape(value, (1,)), tf.reshape(value * 2.0, (1,))


model = tf.keras.Sequential([tf.keras.Input((1,)), tf.keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(train_files.map(to_example).batch(8), validation_data=valid_files.map(to_example).batch(8), epochs=2,
          verbose=0)

seen_in_training = set()
for epoch in range(5):
    seen_in_training.update(f.numpy() for f in train_files)
validation_now = {f.numpy() for f in valid_files}
leaked = validation_now & seen_in_training
