"""A list comprehension with one `for` and no `if` over items the program fixes (`range(n)` of a
known n, a list or tuple of known length) gives the list it builds, pass by pass: the blocks of
`nn.ModuleList([Block(d) for _ in range(3)])`, the layers of `nn.Sequential(*[nn.Linear(a, b)
for a, b in pairs])` (or of a generator expression spread into the call), the Dense layers of a Keras `Sequential` built from a list of widths. A
comprehension over a count the program does not fix, with an `if` or two `for`s stays unknown,
and its target does not leak into the enclosing scope. The command line on files; each bug
marked `# expect: CODE`, each look-alike silent."""
from __future__ import annotations

import pytest

from corpus_support import checked_as_file, edited_case

CASES = {
    # blocks of a ModuleList, looped over in forward, then a head of the wrong width
    "t_module_list_range": """
    import torch
    import torch.nn as nn


    class Block(nn.Module):
        def __init__(self, d):
            super().__init__()
            self.fc = nn.Linear(d, d)

        def forward(self, x):
            return torch.relu(self.fc(x))


    class Net(nn.Module):
        def __init__(self, d=10, depth=3):
            super().__init__()
            self.blocks = nn.ModuleList([Block(d) for _ in range(depth)])
            self.head = nn.Linear(2 * d, 2)

        def forward(self, x):
            for block in self.blocks:
                x = block(x)
            return self.head(x)  # expect: TL202


    out = Net()(torch.randn(4, 10))
    """,
    # a Sequential spread from layers indexed by the loop variable
    "t_sequential_indexed": """
    import torch
    import torch.nn as nn

    dims = [10, 20, 30]
    body = nn.Sequential(*[nn.Linear(dims[i], dims[i + 1]) for i in range(len(dims) - 1)])
    head = nn.Linear(20, 2)
    y = head(body(torch.randn(4, 10)))  # expect: TL202
    """,
    # a generator expression spread into the call: consumed whole, like a list
    "t_sequential_generator": """
    import torch
    import torch.nn as nn

    body = nn.Sequential(*(nn.Linear(10, 10) for _ in range(3)))
    head = nn.Linear(20, 2)
    y = head(body(torch.randn(4, 10)))  # expect: TL202
    """,
    # pairs unpacked by a tuple target
    "t_pairs": """
    import torch
    import torch.nn as nn

    pairs = [(12, 20), (20, 5)]
    mlp = nn.Sequential(*[nn.Linear(a, b) for a, b in pairs])
    z = mlp(torch.randn(4, 10))  # expect: TL202
    """,
    # Keras: hidden layers from a list of widths, three outputs against four-column targets
    "k_sequential_widths": """
    import numpy as np
    from tensorflow import keras

    widths = [32, 16]
    model = keras.Sequential([keras.Input(shape=(8,))] + [keras.layers.Dense(w, activation="relu") for w in widths]
                             + [keras.layers.Dense(3)])
    model.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True), optimizer="adam")
    model.fit(np.zeros((10, 8)), np.zeros((10, 4)))  # expect: TL208
    """,
}

# look-alikes: (case, old text, new text); each stays silent
LOOKALIKES = {
    "t_module_list_range_fits": ("t_module_list_range", "nn.Linear(2 * d, 2)", "nn.Linear(d, 2)"),
    # a count the program does not fix: the blocks are not known
    "t_module_list_unknown_count": ("t_module_list_range", "range(depth)", "range(args.depth)"),
    # an `if` in the comprehension: which items it keeps is not followed
    "t_module_list_filtered": ("t_module_list_range", "for _ in range(depth)]", "for i in range(depth) if i % 2]"),
    "t_sequential_indexed_fits": ("t_sequential_indexed", "nn.Linear(20, 2)", "nn.Linear(30, 2)"),
    "t_pairs_fits": ("t_pairs", "torch.randn(4, 10)", "torch.randn(4, 12)"),
    "t_sequential_generator_fits": ("t_sequential_generator", "nn.Linear(20, 2)", "nn.Linear(10, 2)"),
    # the target's name keeps its own value outside the comprehension
    "t_pairs_scope": ("t_pairs", "mlp = nn.Sequential(*[nn.Linear(a, b) for a, b in pairs])\nz = mlp(torch.randn(4, 10))",
                      "a = 10\nmlp = nn.Sequential(*[nn.Linear(a, b) for a, b in pairs])\nz = nn.Linear(a, 3)(torch.randn(4, 10))"),
    "k_sequential_widths_fits": ("k_sequential_widths", "np.zeros((10, 4))", "np.zeros((10, 3))"),
}


@pytest.mark.parametrize("name", sorted([*CASES, *LOOKALIKES]))
def test_comprehension_builds_its_list(tmp_path, capsys, name):
    marked, found = checked_as_file(tmp_path, capsys, name, edited_case(CASES, LOOKALIKES, name), "TL2")
    assert found == marked


# lists filled through a loop variable the analysis does not follow stay of unknown length, so
# the arrays a comprehension makes of them are not taken for empty ones
SILENT = {
    "tf1_columns_filled_through_zip": """
    import numpy as np
    import tensorflow as tf

    X = tf.placeholder(tf.float32, shape=[None, 4])
    out = tf.layers.dense(X, 2)


    def sample(memory):
        cols = [[], []]
        for m in memory:
            for col, value in zip(cols, m):
                col.append(value)
        cols = [np.array(col) for col in cols]
        return cols[0], cols[1]


    with tf.Session() as sess:
        states, actions = sample(replay_memory)
        sess.run(out, feed_dict={X: states})
    """,
    "t_columns_filled_through_zip": """
    import numpy as np
    import torch
    import torch.nn as nn

    model = nn.Linear(4, 1)


    def step(rows):
        cols = [[], []]
        for row in rows:
            for col, value in zip(cols, row):
                col.append(value)
        x, y = [torch.tensor(np.array(col), dtype=torch.float32) for col in cols]
        return nn.functional.mse_loss(model(x), y)
    """,
}


@pytest.mark.parametrize("name", sorted(SILENT))
def test_lists_filled_out_of_sight_stay_unknown(tmp_path, capsys, name):
    marked, found = checked_as_file(tmp_path, capsys, name, edited_case(SILENT, {}, name), "ALL")
    assert found == marked == []
