"""TL231 channels-first-array-into-totensor, written the ways pipelines make an image channels
first before torchvision's ToTensor: a module-level lambda around `np.reshape`, an inline
`x.reshape((3, 64, 64))`, `np.transpose(x, (2, 0, 1))` and `img.transpose(2, 0, 1)`, with
`transforms.X`, `T.X` and imported names. The look-alikes: the reshape to H x W x C, a reshape
after ToTensor (on the tensor), a transpose to channels last, a shape not written as numbers, a
small image whose last axis may be its channels, and a ToTensor class of the program's own. Each
case marks its expected findings with `# expect: TL231`."""
from __future__ import annotations

import textwrap

import pytest

from test_variants import found_and_expected, run_check

CASES = {
    "named-numpy-reshape": """
    import numpy as np
    import torch
    import torchvision.transforms as transforms

    np_reshape = lambda x: np.reshape(x, (1, 32, 32))
    train_tf = transforms.Compose([
        transforms.Lambda(np_reshape),
        transforms.ToTensor(),  # expect: TL231
        transforms.Normalize((0.485,), (0.186,)),
    ])
    """,
    "inline-reshape-and-transposes": """
    import numpy as np
    import torch
    import torchvision.transforms as T
    from torchvision.transforms import Compose, Lambda, ToTensor

    rgb = T.Compose([T.Lambda(lambda a: a.reshape((3, 64, 64))), T.ToTensor()])  # expect: TL231
    chw = Compose([Lambda(lambda img: np.transpose(img, (2, 0, 1))), ToTensor()])  # expect: TL231
    chw2 = Compose([Lambda(lambda img: img.transpose(2, 0, 1)),
                    ToTensor()])  # expect: TL231
    """,
    "ok-channels-last-and-after-totensor": """
    import numpy as np
    import torch
    from torchvision import transforms

    size = 32
    a = transforms.Compose([transforms.Lambda(lambda x: np.reshape(x, (32, 32, 1))), transforms.ToTensor()])
    b = transforms.Compose([transforms.ToTensor(), transforms.Lambda(lambda t: t.reshape(1, 32, 32))])
    c = transforms.Compose([transforms.Lambda(lambda x: x.transpose(1, 2, 0)), transforms.ToTensor()])
    d = transforms.Compose([transforms.Lambda(lambda x: x.reshape(1, size, size)), transforms.ToTensor()])
    e = transforms.Compose([transforms.Lambda(lambda x: x.reshape(3, 4, 3)), transforms.ToTensor()])
    """,
    "ok-own-totensor": """
    import numpy as np
    import torch
    from torchvision.transforms import Compose, Lambda

    class ToTensor:
        def __call__(self, a):
            return torch.from_numpy(a).float()

    tf = Compose([Lambda(lambda x: np.reshape(x, (1, 28, 28))), ToTensor()])
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_channels_first_array_into_totensor(name):
    found, expected = found_and_expected(CASES, name, "TL231")
    assert found == expected


def test_cli_points_at_the_lambda(tmp_path):
    out = run_check(tmp_path / "data.py", textwrap.dedent(CASES["named-numpy-reshape"]).lstrip("\n"))
    assert "data.py:8:" in out and "TL231" in out and "(1, 32, 32)" in out and "line 7" in out
