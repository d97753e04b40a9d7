"""The float dtype a framework gives by default is not assumed where the program changes it:
`torch.set_default_dtype(torch.float64)` or a default tensor type other than FloatTensor makes
`nn.Linear` weights and `torch.randn`/`torch.tensor` floats of no known dtype, so NumPy's float64
data into such a model is not TL102; a layer built with `dtype=` has weights of that dtype;
`keras.backend.set_floatx("float64")` (tf.keras, Keras 2, Keras 3's `keras.config`) does the same
for `keras.Input`. A dtype the program states (`.float()`, `dtype="float32"`) is still checked,
and a file that changes nothing (or sets float32 again) reads float32 as before. Each case marks
its expected findings with `# expect: TL102`."""
from __future__ import annotations

import pytest

from corpus_support import marked_and_found

CASES = {
    "torch-set-default-dtype": """
        import numpy as np
        import torch
        import torch.nn as nn
        torch.set_default_dtype(torch.float64)
        model = nn.Sequential(nn.Linear(10, 5), nn.ReLU(), nn.Linear(5, 1))
        x = torch.from_numpy(np.random.rand(8, 10))
        y = torch.from_numpy(np.random.rand(8, 1))
        loss = nn.MSELoss()(model(x), y)
        loss.backward()
    """,
    "torch-default-tensor-type-double-in-a-module": """
        import numpy as np
        import torch
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(3, 1)

            def forward(self, x):
                return self.fc(x)

        def main():
            torch.set_default_tensor_type(torch.DoubleTensor)
            net = Net()
            out = net(torch.tensor(np.ones((4, 3))))
    """,
    "torch-layer-built-float64": """
        import numpy as np
        import torch
        import torch.nn as nn
        model = nn.Linear(10, 1, dtype=torch.float64)
        out = model(torch.from_numpy(np.random.rand(8, 10)))
    """,
    # the model converted to float32 on purpose: its weights are float32 whatever the default
    "torch-default-changed-model-made-float": """
        import numpy as np
        import torch
        import torch.nn as nn
        torch.set_default_dtype(torch.float64)
        model = nn.Linear(10, 1).float()
        out = model(torch.from_numpy(np.random.rand(8, 10)))  # expect: TL102
    """,
    "torch-layer-built-float32": """
        import numpy as np
        import torch
        import torch.nn as nn
        model = nn.Linear(10, 1, dtype=torch.float32)
        out = model(torch.from_numpy(np.random.rand(8, 10)))  # expect: TL102
    """,
    # a default tensor type on the GPU keeps float32
    "torch-default-cuda-float-tensor": """
        import numpy as np
        import torch
        import torch.nn as nn
        torch.set_default_tensor_type('torch.cuda.FloatTensor')
        model = nn.Linear(10, 1)
        out = model(torch.from_numpy(np.random.rand(8, 10)))  # expect: TL102
    """,
    # the default set to what it already is
    "torch-default-set-to-float32": """
        import numpy as np
        import torch
        import torch.nn as nn
        torch.set_default_dtype(torch.float32)
        model = nn.Linear(10, 1)
        out = model(torch.from_numpy(np.random.rand(8, 10)))  # expect: TL102
    """,
    "keras-floatx-set-to-float32": """
        import numpy as np
        import tensorflow as tf
        tf.keras.backend.set_floatx("float32")
        inp = tf.keras.Input((4,))
        out = tf.matmul(inp, tf.constant(np.random.rand(4, 2)))  # expect: TL102
    """,
    "torch-default-unchanged": """
        import numpy as np
        import torch
        import torch.nn as nn
        model = nn.Linear(10, 1)
        out = model(torch.from_numpy(np.random.rand(8, 10)))  # expect: TL102
    """,
    "tf-keras-set-floatx": """
        import numpy as np
        import tensorflow as tf
        tf.keras.backend.set_floatx("float64")
        inp = tf.keras.Input((4,))
        out = tf.matmul(inp, tf.constant(np.random.rand(4, 2)))
    """,
    "keras2-set-floatx": """
        import numpy as np
        import tensorflow as tf
        from keras import backend as K
        from keras.layers import Input
        K.set_floatx('float64')
        inp = Input(shape=(4,))
        out = tf.matmul(inp, tf.constant(np.random.rand(4, 2)))
    """,
    "keras3-config-set-floatx": """
        import numpy as np
        import tensorflow as tf
        import keras

        def build():
            inp = keras.Input((4,))
            return tf.matmul(inp, tf.constant(np.random.rand(4, 2)))

        keras.config.set_floatx("float64")
    """,
    # an input declared float32 stays float32
    "tf-keras-set-floatx-input-declared-float32": """
        import numpy as np
        import tensorflow as tf
        tf.keras.backend.set_floatx("float64")
        inp = tf.keras.Input((4,), dtype="float32")
        out = tf.matmul(inp, tf.constant(np.random.rand(4, 2)))  # expect: TL102
    """,
    "tf-keras-floatx-unchanged": """
        import numpy as np
        import tensorflow as tf
        inp = tf.keras.Input((4,))
        out = tf.matmul(inp, tf.constant(np.random.rand(4, 2)))  # expect: TL102
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_float64_input_where_the_default_is_known(name):
    marked, found = marked_and_found("TL102", name, CASES[name])
    assert found == marked
