"""Keras 1 built a functional model with `Model(input=..., output=...)` (Keras 2.0-2.3 still
took those names, with a warning): the model is the same as `Model(inputs=..., outputs=...)`,
so what the rules know of its input and output holds written either way."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ALL = Config(select=("ALL",))


def _codes(text: str) -> list:
    return sorted({(f.code, f.line) for f in analyze(textwrap.dedent(text), "model.py", ALL).findings
                   if f.code in ("TL203", "TL208", "TL306")})


@pytest.mark.parametrize("build", [
    "Model(input=inputs, output=outputs)",
    "Model(input=[inputs], output=outputs)",
    "Model(output=outputs, input=inputs)",
    "Model(inputs=inputs, outputs=outputs)",
    "Model(inputs, outputs)",
])
def test_data_of_another_shape_than_the_input(build):
    assert _codes(f"""\
        import numpy as np
        from keras.layers import Input, Dense
        from keras.models import Model
        inputs = Input(shape=(20,))
        hidden = Dense(32, activation='relu')(inputs)
        outputs = Dense(3, activation='softmax')(hidden)
        model = {build}
        model.compile(optimizer='adam', loss='categorical_crossentropy')
        model.fit(np.random.rand(100, 12), np.eye(3)[np.random.randint(0, 3, 100)], epochs=2)
    """) == [("TL203", 9)]


@pytest.mark.parametrize("module", ["keras.models", "tensorflow.keras.models"])
def test_a_one_unit_output_under_categorical_cross_entropy(module):
    assert _codes(f"""\
        from keras.layers import Input, Dense
        from {module} import Model
        inputs = Input(shape=(8,))
        model = Model(input=inputs, output=Dense(1, activation='sigmoid')(inputs))
        model.compile(optimizer='sgd', loss='categorical_crossentropy')
    """) == [("TL306", 5)]


@pytest.mark.parametrize("build", [
    "Model(input=inputs, output=outputs)",
    "Model(inputs=inputs, outputs=outputs, input=None)",  # (the names of today win)
])
def test_silent_for_data_that_fits(build):
    assert _codes(f"""\
        import numpy as np
        from keras.layers import Input, Dense
        from keras.models import Model
        inputs = Input(shape=(20,))
        outputs = Dense(3, activation='softmax')(Dense(32, activation='relu')(inputs))
        model = {build}
        model.compile(optimizer='adam', loss='categorical_crossentropy')
        model.fit(np.random.rand(100, 20), np.eye(3)[np.random.randint(0, 3, 100)], epochs=2)
    """) == []


def test_silent_for_a_model_of_unknown_input():
    assert _codes("""\
        import numpy as np
        from keras.models import Model

        def wrap(base):
            return Model(input=base.inputs, output=base.outputs)

        model = wrap(load_model('x.h5'))
        model.compile(optimizer='adam', loss='categorical_crossentropy')
        model.fit(np.random.rand(100, 20), np.random.rand(100, 3))
    """) == []
