"""The Keras 2 backend module as scripts call it (`from keras import backend as K`,
`tf.keras.backend`, `import keras.backend as K`), TensorFlow 1's casts and logical operators, and
torch's `sort`, `nonzero`, `diag`, `repeat`, `tile` and `type_as`: the values the hover shows, and the findings that follow
from them. `K.variable`, `K.zeros`, `K.constant` and `K.placeholder` make tensors of Keras'
float type whatever their value's own dtype, so a style loss divided by `K.shape(x)[-1]` (int32)
raises (TL106), as in the keras-examples doodle script; a file that changes the float type
leaves their dtype unknown."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

from test_engine_facts import _check_values

VALUES = {
    "keras-backend-factories": """
        import numpy as np
        from keras import backend as K
        counter = K.variable(0)  # value: Tensor[] float32
        image = K.variable(np.arange(12).reshape(3, 4))  # value: Tensor[3, 4] float32
        target = K.placeholder(shape=(1, 32, 32, 3))  # value: Tensor[1, 32, 32, 3] float32
        free = K.placeholder(ndim=2)  # value: Tensor[?, ?] float32
        blank = K.zeros((2, 5))  # value: Tensor[2, 5] float32
        ids = K.ones((4,), dtype='int32')  # value: Tensor[4] int32
        table = K.constant([1, 2, 3])  # value: Tensor[3] float32
        ident = K.eye(3)  # value: Tensor[3, 3] float32
        saved = K.get_value(image)  # value: ndarray[3, 4] float32
    """,
    "tf-keras-backend-shapes": """
        import tensorflow as tf
        backend = tf.keras.backend
        x = tf.random.normal([2, 6, 6, 8])
        flat = backend.batch_flatten(x)  # value: Tensor[2, 288] float32
        channels = backend.int_shape(x)[-1]
        kernel = backend.zeros((channels, 16))  # value: Tensor[8, 16] float32
    """,
    "tf1-casts-and-logic": """
        import tensorflow as tf
        x = tf.random.normal([4, 3])
        n = tf.to_float(tf.shape(x)[0])  # value: Tensor[] float32
        ids = tf.compat.v1.to_int32(x)  # value: Tensor[4, 3] int32
        both = tf.logical_and(x > 0, x < 1)  # value: Tensor[4, 3] bool
        neither = tf.math.logical_not(both)  # value: Tensor[4, 3] bool
    """,
    "torch-sort-nonzero-diag": """
        import torch
        scores = torch.randn(10)
        ordered, order = torch.sort(scores, 0, True)  # value: Tensor[10] float32
        order = scores.sort(descending=True)[1]  # value: Tensor[10] int64
        keep = torch.nonzero(scores > 0.5)  # value: Tensor[?, 1] int64
        cov = torch.diag(torch.ones(3))  # value: Tensor[3, 3] float32
        var = torch.randn(4, 6).diag(1)  # value: Tensor[4] float32
    """,
    "torch-repeat-tile-type-as": """
        import numpy as np
        import torch
        hidden = torch.randn(8, 32)
        steps = hidden.unsqueeze(1).repeat(1, 10, 1)  # value: Tensor[8, 10, 32] float32
        grid = torch.tile(hidden, (2,))  # value: Tensor[8, 64] float32
        ids = torch.arange(8).type_as(hidden)  # value: Tensor[8] float32
        hidden.zero_()
        again = hidden  # value: Tensor[8, 32] float32
        rows = np.ones((3, 2)).repeat(4, axis=0)  # value: ndarray[12, 2] float64
    """,
}


@pytest.mark.parametrize("name", sorted(VALUES))
def test_values(name):
    _check_values(VALUES[name])


def _codes(code: str, select=("ALL",)):
    got = analyze(textwrap.dedent(code), "t.py", Config(select=select))
    return sorted((f.code, f.span.start.line) for f in got.findings)


STYLE_LOSS = """
    {imports}

    def region_loss(image, mask):
        features = K.batch_flatten(K.permute_dimensions(image * mask, (2, 0, 1)))
        gram = K.dot(features, K.transpose(features))
        channels = {channels}
        return gram / K.mean(mask) / channels

    style = K.variable(np.random.rand(32, 32, 3))
    mask = K.variable(np.ones((32, 32, 1)))
    loss = K.variable(0)
    loss += region_loss(style, mask)
"""

IMPORTS = {
    "keras": "import numpy as np\n    from keras import backend as K",
    "tf.keras": "import numpy as np\n    import tensorflow as tf\n    K = tf.keras.backend",
    "keras.backend": "import numpy as np\n    import keras.backend as K",
}


@pytest.mark.parametrize("spelling", sorted(IMPORTS))
def test_float_variable_divided_by_int_channel_count(spelling):
    code = STYLE_LOSS.format(imports=IMPORTS[spelling], channels="K.shape(image)[-1]")
    lines = textwrap.dedent(code).splitlines()
    at = next(i for i, text in enumerate(lines, 1) if "return gram" in text)
    assert _codes(code, ("TL106",)) == [("TL106", at)]


@pytest.mark.parametrize("channels", [
    "K.cast(K.shape(image)[-1], 'float32')",  # the fix: cast first
    "K.int_shape(image)[-1]",  # a Python int: converted to the tensor's dtype
    "3",
])
def test_cast_or_python_count_is_silent(channels):
    code = STYLE_LOSS.format(imports=IMPORTS["keras"], channels=channels)
    assert _codes(code, ("TL106",)) == []


def test_changed_float_type_leaves_the_width_unknown():
    """`K.set_floatx('float16')`: the variables' dtype follows it; not followed, not guessed. The
    quotient is still a float of some width (TensorFlow's `/` divides truly), and the int32 count
    still raises against it: reported without naming a width."""
    code = STYLE_LOSS.format(imports=IMPORTS["keras"] + "\n    K.set_floatx('float16')", channels="K.shape(image)[-1]")
    got = analyze(textwrap.dedent(code), "t.py", Config(select=("TL106",))).findings
    assert [f.code for f in got] == ["TL106"]
    assert "a float (TensorFlow's true division gives one)" in got[0].message and "float32" not in got[0].message


def test_tf1_cast_count_times_float_tensor():
    bug = """
        import tensorflow as tf
        x = tf.random.normal([8, 3])
        correct = tf.to_int32(tf.equal(tf.argmax(x, 1), 2))
        accuracy = tf.reduce_mean(correct * x[:, 0])
    """
    fixed = bug.replace("tf.to_int32", "tf.to_float")
    assert [c for c, _ in _codes(bug, ("TL106",))] == ["TL106"]
    assert _codes(fixed, ("TL106",)) == []


def test_torch_sorted_scores_joined_with_boxes():
    """A 1-D score vector put beside [N, 4] boxes with `torch.cat(..., 1)`: the ranks differ."""
    bug = """
        import torch
        scores = torch.rand(12)
        boxes = torch.rand(12, 4)
        _, order = torch.sort(scores, 0, True)
        detections = torch.cat((boxes[order], scores[order]), 1)
    """
    fixed = bug.replace("scores[order]), 1)", "scores[order].unsqueeze(1)), 1)")
    assert ("TL211", 6) in _codes(bug, ("TL211",))
    assert _codes(fixed, ("TL211",)) == []


def test_hidden_state_repeated_for_another_length():
    """Attention that repeats the decoder state once per source step, with the wrong count: the
    concatenation with the encoder outputs fails on the time axis."""
    bug = """
        import torch
        encoder_outputs = torch.randn(8, 12, 64)
        hidden = torch.randn(8, 32)
        repeated = hidden.unsqueeze(1).repeat(1, 10, 1)
        energy = torch.cat((repeated, encoder_outputs), dim=2)
    """
    fixed = bug.replace("repeat(1, 10, 1)", "repeat(1, encoder_outputs.shape[1], 1)")
    assert _codes(bug, ("TL211",)) == [("TL211", 6)]
    assert _codes(fixed, ("TL211",)) == []
