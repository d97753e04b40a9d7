"""The dtype of a sum or a product, as the hover shows it: torch and NumPy add bools and
integers up in int64 (NumPy its unsigned integers in uint64), so a count of correct predictions
is an int64 tensor, not a bool one; a `dtype=` given to the call decides."""
from __future__ import annotations

import pytest

from test_engine_facts import _check_values


CASES = {
    "accuracy-count-method": """
        import torch
        predicted = torch.randint(0, 10, (64,))
        labels = torch.randint(0, 10, (64,))
        correct = (predicted == labels).sum()  # value: Tensor[] int64
        per_row = (predicted == labels).sum(0)  # value: Tensor[] int64
        kept = (predicted == labels).float().sum()  # value: Tensor[] float32
    """,
    "accuracy-count-function": """
        import torch
        pred_y = torch.randint(0, 10, (100,))
        test_y = torch.randint(0, 10, (100,))
        hits = torch.sum(pred_y == test_y)  # value: Tensor[] int64
        total = 0
        total += torch.sum(pred_y != test_y)  # value: Tensor[] int64
    """,
    "integer-product-and-explicit-dtype": """
        import torch
        sizes = torch.tensor([2, 3, 4], dtype=torch.int32)
        count = sizes.prod()  # value: Tensor[] int64
        as_float = sizes.sum(dtype=torch.float32)  # value: Tensor[] float32
        small = torch.ones(4, 5, dtype=torch.uint8).sum(1)  # value: Tensor[4] int64
    """,
    "numpy-counts": """
        import numpy as np
        import torch
        mask = np.zeros((8, 3), dtype=bool)
        n_true = mask.sum()  # value: ndarray[] int64
        per_column = np.sum(mask, axis=0)  # value: ndarray[3] int64
        pixels = np.zeros((4, 4), dtype=np.uint8).sum()  # value: ndarray[] uint64
        halves = np.ones(6, dtype=np.float32).sum()  # value: ndarray[] float32
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_sum_dtype(name):
    _check_values(CASES[name])
