"""A data set that lists its files (a glob of an image folder) is empty where the check runs: the
files are not here. The sampler's refusal of an empty data set is the check's gap, never the
program's error."""
from __future__ import annotations

import pytest

DATASET = """\
import glob
from pathlib import Path
import torch
from torch import nn
from torch.utils.data import Dataset, DataLoader


class Images(Dataset):
    def __init__(self, root):
        self.files = sorted({listing})

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        return torch.load(self.files[i]), 0


loader = DataLoader(Images("data/train"), batch_size=4, shuffle=True)
model = nn.Linear(8, 2)
for x, y in loader:
    out = model(x)
"""


@pytest.mark.parametrize("listing", ['glob.glob(root + "/*.pt")', 'Path(root).glob("*.pt")',
                                     'glob.glob("%s/**/*.pt" % root, recursive=True)'])
def test_an_empty_listing_is_not_the_programs_error(torch_python, text_check, listing):
    report = text_check(DATASET.format(listing=listing))
    assert report.status == "could-not-check", report.message
    assert not [d for d in report.diagnostics() if d.severity == "error"], report.message
    assert "the data set is empty" in report.message, report.message
