"""The names the engine deliberately leaves unmodeled (tensorlint.frameworks.OPAQUE): what they
hold and what they keep out, that a name with a transfer function is never listed as opaque,
and that a call of one gives nothing a rule could act on while the program around it is still
analyzed."""
from __future__ import annotations

import textwrap

from tensorlint.config import Config
from tensorlint.engine import analyze
from tensorlint.frameworks import CALLS, LAYERS, LOSSES, OPAQUE, canonical


def test_plumbing_is_opaque_and_tensor_makers_are_not():
    for name in ("tensorflow.global_variables_initializer", "torch.cuda.is_available", "torch.cuda.device_count",
                 "torchvision.datasets.DatasetFolder", "tensorflow.train.Saver", "keras.callbacks.EarlyStopping",
                 "keras.initializers.HeNormal", "tensorflow.summary.scalar", "numpy.random.seed",
                 "torch.distributed.init_process_group"):
        assert name in OPAQUE, name
    # sessions and torchvision's known data sets and transforms have transfer functions (TF1 feeds,
    # image shapes): modeled, so not opaque
    for name in ("torch.cuda.FloatTensor", "torch.cuda.LongTensor", "torchvision.transforms.functional.resize",
                 "torch.nn.Linear", "tensorflow.reshape", "torch.randn", "tensorflow.Session",
                 "torchvision.transforms.ToTensor", "torchvision.datasets.MNIST", "torchvision.datasets.ImageFolder", None, 3):
        assert name not in OPAQUE, name


def test_every_listed_name_is_spelled_the_engine_way():
    for name in OPAQUE:
        assert canonical(name) == name, name


def test_a_name_with_a_transfer_function_is_never_opaque():
    modeled = [q for q in (*CALLS, *LAYERS, *LOSSES) if q.startswith(("torch.cuda.", "torchvision.", "tensorflow.train.",
                                                                     "tensorflow.io.", "keras.callbacks."))]
    for name in ["torch.nn.init.xavier_uniform_", "torch.cuda.FloatTensor", *modeled]:
        assert name not in OPAQUE, name
    name = "torchvision.datasets.SVHN"  # a member of an opaque family that gets a transfer function
    added = name not in CALLS
    if added:
        CALLS[name] = lambda call: None
    try:
        assert name not in OPAQUE
    finally:
        if added:
            del CALLS[name]


def _findings(code: str):
    return analyze(textwrap.dedent(code).lstrip("\n"), "opaque.py", Config(select=("ALL",))).findings


def test_opaque_calls_around_a_training_loop_keep_its_findings():
    code = """
        import torch
        import torch.nn as nn
        import torchvision

        device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        torch.cuda.manual_seed_all(0)
        transform = torchvision.transforms.Compose([torchvision.transforms.ToTensor()])
        model = nn.Sequential(nn.Linear(10, 4), nn.Softmax(dim=1)).to(device)
        criterion = nn.CrossEntropyLoss()
        x, y = torch.randn(8, 10).to(device), torch.randint(0, 4, (8,)).to(device)
        loss = criterion(model(x), y)
    """
    assert [(f.code, f.line) for f in _findings(code)] == [("TL304", 11)]
