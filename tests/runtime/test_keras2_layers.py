"""Keras 2 custom layers under Keras 3: `keras.backend` functions Keras 3 moved to `keras.ops`,
a Dense or Conv2D subclass that assigns `self.kernel` in its build; what neither can shim, and
what the CPU the check runs on cannot do, is "could not check", never the program's error."""
from __future__ import annotations

import subprocess


def errors(report):
    return [d for d in report.diagnostics() if d.severity == "error" and d.kind in ("error", "user-setup")]


BINARY_DENSE = """\
import numpy as np
from keras import backend as K
from keras.layers import Dense
from keras.models import Sequential


class BinaryDense(Dense):
    def build(self, input_shape):
        self.kernel = self.add_weight(shape=({rows}, self.units), initializer="glorot_uniform", name="kernel")
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")
        self.built = True

    def call(self, inputs):
        w = K.clip(K.round(self.kernel), -1, 1)
        return {body}


model = Sequential([BinaryDense(4, input_shape=(6,)), Dense(1, activation="sigmoid")])
model.compile(loss="binary_crossentropy", optimizer="adam")
x = np.random.rand(32, 6)
y = np.random.randint(0, 2, (32, 1))
model.fit(x, y, epochs=1)
"""


def test_a_keras2_binary_layer_runs_with_its_backend_calls_and_kernel_assignment(tf_python, text_check):
    for body in ("K.dot(inputs, w) + self.bias", "K.sum(K.expand_dims(inputs) * w, axis=1) + self.bias",
                 "K.concatenate([K.dot(inputs, w)[:, :2], K.dot(inputs, w)[:, 2:]]) + self.bias"):
        report = text_check(BINARY_DENSE.format(rows=6, body=body))
        assert errors(report) == [], (body, report.message)
        assert report.status in ("ok", "problems"), (body, report.message)
        notes = "\n".join(report.notes)
        assert "`keras.backend.clip` (Keras 2) ran as `keras.ops.clip`" in notes, body
        assert "`self.kernel = ...` in a layer's build (Keras 2)" in notes, body


def test_a_shape_bug_in_a_keras2_layer_is_still_the_programs_error(tf_python, text_check):
    report = text_check(BINARY_DENSE.format(rows=5, body="K.dot(inputs, w) + self.bias"))  # 6 features, 5 rows
    assert report.status == "errors", report.message
    assert 15 in [d.line for d in errors(report)]  # the K.dot in the layer's call


def test_a_backend_function_keras3_lacks_is_could_not_check_not_the_programs_error(tf_python, text_check):
    for body in ("K.batch_flatten(K.dot(inputs, w)) + self.bias", "K.in_train_phase(K.dot(inputs, w), inputs)"):
        report = text_check(BINARY_DENSE.format(rows=6, body=body))
        assert errors(report) == [], (body, report.message)
        assert report.status == "could-not-check", (body, report.message)
        assert "module 'keras.backend' has no attribute" in report.message, body


def _cpu_runs_channels_first_convolution(python: str) -> bool:
    """Whether this machine's TensorFlow runs a channels-first (NCHW) convolution on the CPU:
    builds with oneDNN on some processors do, the others raise that only NHWC is supported."""
    probe = ("import tensorflow as tf\n"
             "tf.nn.conv2d(tf.zeros([1, 1, 8, 8]), tf.zeros([3, 3, 1, 2]), 1, 'SAME', data_format='NCHW')\n")
    return subprocess.run([python, "-c", probe], capture_output=True, timeout=300).returncode == 0


def test_a_channels_first_convolution_the_cpu_cannot_run_is_could_not_check(tf_python, text_check):
    report = text_check("""\
import numpy as np
from keras import backend as K
from keras.layers import Conv2D, Dense, Flatten, Layer
from keras.models import Sequential


class FirstConv(Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(3, 3, 1, 4), initializer="glorot_uniform")

    def call(self, x):
        return K.conv2d(x, self.w, data_format="channels_first")


model = Sequential([FirstConv(input_shape=(1, 28, 28)), Flatten(), Dense(10, activation="softmax")])
model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
model.fit(np.random.rand(16, 1, 28, 28), np.random.randint(0, 10, 16), epochs=1)
""")
    assert errors(report) == [], report.message
    if _cpu_runs_channels_first_convolution(tf_python):  # nothing to blame on anyone: the model runs
        assert report.status == "ok", report.message
    else:
        assert report.status == "could-not-check", report.message
        assert "NHWC" in report.message


CHECKPOINT = """\
import numpy as np
from keras.callbacks import ModelCheckpoint
from keras.layers import Dense
from keras.models import Sequential

x = np.random.rand(32, 6).astype("float32")
y = np.random.randint(0, 2, size=(32, 1))
model = Sequential([Dense(8, activation="relu", input_shape=(6,)), Dense(1, activation="sigmoid")])
model.compile(loss="binary_crossentropy", optimizer="adam")
checkpoint = {checkpoint}
model.fit(x{x_cut}, y, epochs=5, callbacks=[checkpoint])
"""


def test_a_keras2_checkpoint_file_name_is_not_the_programs_error(tf_python, text_check):
    # Keras 3 wants `.keras` where Keras 2 took `weights.hdf5`: the check gives the checkpoint the
    # ending Keras 3 requires, so the program runs as Keras 2 ran it, and nothing is blamed on it
    for checkpoint in ('ModelCheckpoint("weights.hdf5", save_best_only=True)',
                       "ModelCheckpoint(filepath='best_model.hdf5', monitor='val_acc')"):
        report = text_check(CHECKPOINT.format(checkpoint=checkpoint, x_cut=""))
        assert report.status == "ok", report.message
        assert not errors(report)
    # with that name, a wrong input width is still the program's error
    report = text_check(CHECKPOINT.format(checkpoint='ModelCheckpoint("weights.hdf5")', x_cut="[:, :4]"))
    assert report.status == "errors", report.message
    # a file name Keras 3 takes: the fit runs, and a wrong input width stays the program's error
    report = text_check(CHECKPOINT.format(checkpoint='ModelCheckpoint("best.keras")', x_cut=""))
    assert report.status == "ok", report.message
    report = text_check(CHECKPOINT.format(checkpoint='ModelCheckpoint("best.keras")', x_cut="[:, :4]"))
    assert report.status == "errors", report.message


def test_keras3_asking_for_a_lambdas_output_shape_is_the_checks_failure_not_the_programs():
    # Keras 2 found a Lambda's output shape by running the function on its symbolic input; Keras 3
    # raises this where it cannot: the program is not at fault, while the same error type for a
    # shape the program gets wrong still is
    from tensorlint.runtime.child.blame import blame

    def raised(exc):
        try:
            raise exc
        except Exception as caught:  # noqa: BLE001
            return caught

    keras3 = raised(NotImplementedError("Exception encountered when calling Lambda.call().\n\nWe could not automatically "
                                        "infer the shape of the Lambda's output. Please specify the `output_shape` argument"))
    assert blame(keras3, "/x/user.py", {})[0] == "check"
    kernel = raised(NotImplementedError('"log_softmax_lastdim_kernel_impl" not implemented for \'Long\''))
    assert blame(kernel, "/x/user.py", {})[0] == "user"
    checkpoint = raised(ValueError("The filepath provided must end in `.keras` (Keras model format). Received: filepath=w.hdf5"))
    assert blame(checkpoint, "/x/user.py", {})[0] == "check"
