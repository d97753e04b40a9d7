"""A dataset of one tensor yields sequences of one tensor: `TensorDataset(x)[i]` is `(x[i],)` and a
loader over it yields `[batch]`, as does a loader over a dataset of the file whose `__getitem__`
returns `(x,)`. The engine unpacks them (`for (xb,) in loader`, `batch[0]`, `for (row,) in ds`) to the
tensor and so finds the shape bugs there; a loop that takes the whole sequence for the tensor gets
no shape of the tensor (torch refuses the list itself). A dataset whose `__getitem__` returns the
bare tensor, and TensorFlow's `from_tensor_slices(x)`, yield the tensor. Each program also runs
under torch where torch is installed: it raises at every `# expect:` line and nowhere else."""
from __future__ import annotations

import json
import textwrap

import pytest

from tensorlint.cli import main

HEAD = """
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset, TensorDataset

X = torch.randn(64, 10)
model = nn.Linear(3, 2)
"""

CASES = {
    "loader_unpacked_in_the_loop": """
    loader = DataLoader(TensorDataset(X), batch_size=8)
    for (xb,) in loader:
        out = model(xb)  # expect: TL202
    """,
    "loader_batch_indexed": """
    loader = DataLoader(TensorDataset(X), batch_size=8, shuffle=True)
    for batch in loader:
        out = model(batch[0])  # expect: TL202
    """,
    "dataset_iterated": """
    for (row,) in TensorDataset(X):
        out = model(row)  # expect: TL202
    """,
    "own_dataset_returning_a_one_tuple": """
    class Rows(Dataset):
        def __len__(self):
            return 64

        def __getitem__(self, i):
            return (torch.randn(10),)


    for batch in DataLoader(Rows(), batch_size=4):
        out = model(batch[0])  # expect: TL202
    """,
    "own_dataset_returning_the_tensor": """
    class Rows(Dataset):
        def __len__(self):
            return 64

        def __getitem__(self, i):
            return torch.randn(10)


    for xb in DataLoader(Rows(), batch_size=4):
        out = model(xb)  # expect: TL202
    """,
}

# the whole sequence taken for the tensor: torch raises a TypeError on the list, which is no
# shape fact; the engine must not claim the list has the tensor's shape
LIST_TAKEN_FOR_THE_TENSOR = """
loader = DataLoader(TensorDataset(X), batch_size=8)
for xb in loader:
    out = model(xb)
"""


def _run(tmp_path, capsys, body: str) -> tuple[list, list]:
    text = textwrap.dedent(HEAD).lstrip("\n") + textwrap.dedent(body)
    path = tmp_path / "program.py"
    path.write_text(text)
    assert main(["check", "--format", "json", "--no-cache", "--exit-zero", "--select", "ALL", str(path)]) == 0
    expected = sorted((line.split("# expect: ")[1].strip(), i) for i, line in enumerate(text.splitlines(), 1)
                      if "# expect: " in line)
    found = sorted((f["code"], f["location"]["row"]) for f in json.loads(capsys.readouterr().out))
    return found, expected


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_unpacked_tensor_has_its_shape(tmp_path, capsys, name):
    found, expected = _run(tmp_path, capsys, CASES[name])
    assert found == expected


def test_the_sequence_is_not_the_tensor(tmp_path, capsys):
    found, _ = _run(tmp_path, capsys, LIST_TAKEN_FOR_THE_TENSOR)
    assert not [f for f in found if f[0] in ("TL201", "TL202")]


def test_tf_data_of_one_tensor_yields_the_tensor(tmp_path, capsys):
    body = """
    import tensorflow as tf

    ds = tf.data.Dataset.from_tensor_slices(tf.random.normal((64, 10))).batch(8)
    for xb in ds:
        m = tf.matmul(xb, tf.zeros((5, 2)))  # expect: TL212
    """
    found, expected = _run(tmp_path, capsys, body)
    assert found == expected


@pytest.mark.parametrize("name", sorted(CASES))
def test_torch_raises_where_expected(name):
    torch = pytest.importorskip("torch")
    text = textwrap.dedent(HEAD) + textwrap.dedent(CASES[name])
    with pytest.raises(RuntimeError, match="cannot be multiplied"):
        exec(compile(text, name, "exec"), {"__name__": "__main__", "torch": torch})


def test_torch_refuses_the_list():
    pytest.importorskip("torch")
    text = textwrap.dedent(HEAD) + LIST_TAKEN_FOR_THE_TENSOR
    with pytest.raises(TypeError, match="must be Tensor, not list"):
        exec(compile(text, "list", "exec"), {"__name__": "__main__"})
