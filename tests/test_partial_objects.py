"""`functools.partial` objects are followed: calling one calls its function with the arguments
it holds first and the call's own after them, a keyword of the call replacing one it holds. A
layer, a loss or a function of the file made through a partial object is checked like one made
directly; a partial object given arguments through `*`/`**` of unknown content stays unknown.
The command line on files; each bug marked `# expect: CODE`, each look-alike silent."""
from __future__ import annotations

import pytest

from corpus_support import checked_as_file, edited_case

CASES = {
    # a norm layer factory, as model zoos write it
    "t_norm_layer": """
    from functools import partial
    import torch
    import torch.nn as nn

    norm_layer = partial(nn.LayerNorm, eps=1e-6)
    norm = norm_layer(64)
    x = torch.randn(4, 32)
    y = norm(x)  # expect: TL202
    """,
    # a layer class with fixed keywords, the module imported whole, inside a model
    "t_linear_in_module": """
    import functools
    import torch
    import torch.nn as nn

    Lin = functools.partial(nn.Linear, bias=False)


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = Lin(10, 20)
            self.fc2 = Lin(30, 5)

        def forward(self, x):
            return self.fc2(self.fc1(x))  # expect: TL202


    out = Net()(torch.randn(4, 10))
    """,
    # a loss with a fixed keyword given a softmax output
    "t_loss": """
    from functools import partial
    import torch.nn as nn
    import torch.nn.functional as F

    criterion = partial(F.cross_entropy, reduction="sum")
    model = nn.Sequential(nn.Linear(8, 3), nn.Softmax(dim=1))
    for x, y in loader:
        loss = criterion(model(x), y)  # expect: TL304
    """,
    # a function of the file with a keyword fixed
    "t_own_function": """
    from functools import partial
    import torch
    import torch.nn as nn


    def block(d_in, d_out, bias=True):
        return nn.Linear(d_in, d_out, bias=bias)


    plain = partial(block, bias=False)
    first = plain(8, 16)
    second = plain(32, 4)
    out = second(first(torch.randn(2, 8)))  # expect: TL202
    """,
    # Keras: a Dense factory whose activation is softmax, ending a model trained on logits
    "k_dense": """
    from functools import partial
    import numpy as np
    from tensorflow import keras

    Dense = partial(keras.layers.Dense, activation="softmax")
    model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(16, activation="relu"), Dense(3)])
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), optimizer="adam")  # expect: TL304
    model.fit(np.zeros((10, 8)), np.zeros(10))
    """,
}

# look-alikes: (case, old text, new text); each stays silent
LOOKALIKES = {
    "t_norm_layer_fits": ("t_norm_layer", "norm_layer(64)", "norm_layer(32)"),
    # the partial object holds the size; the call gives only a keyword
    "t_norm_layer_held_size": ("t_norm_layer", "partial(nn.LayerNorm, eps=1e-6)\nnorm = norm_layer(64)",
                               "partial(nn.LayerNorm, 32)\nnorm = norm_layer(eps=1e-6)"),
    # arguments of unknown content
    "t_norm_layer_star_args": ("t_norm_layer", "partial(nn.LayerNorm, eps=1e-6)", "partial(nn.LayerNorm, *dims)"),
    "t_linear_fits": ("t_linear_in_module", "Lin(30, 5)", "Lin(20, 5)"),
    # the call's keyword replaces the one the partial object holds
    "t_norm_layer_keyword_replaced": ("t_norm_layer", "partial(nn.LayerNorm, eps=1e-6)\nnorm = norm_layer(64)",
                                      "partial(nn.LayerNorm, normalized_shape=64)\nnorm = norm_layer(normalized_shape=32)"),
    "t_loss_logits": ("t_loss", "nn.Sequential(nn.Linear(8, 3), nn.Softmax(dim=1))", "nn.Linear(8, 3)"),
    "t_own_function_fits": ("t_own_function", "plain(32, 4)", "plain(16, 4)"),
    "k_dense_logits": ("k_dense", "Dense(3)]", "Dense(3, activation=None)]"),
}


@pytest.mark.parametrize("name", sorted([*CASES, *LOOKALIKES]))
def test_partial_objects_are_followed(tmp_path, capsys, name):
    marked, found = checked_as_file(tmp_path, capsys, name, edited_case(CASES, LOOKALIKES, name), "TL2,TL304")
    assert found == marked
