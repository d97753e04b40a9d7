"""`Tensor.with_`, the interpreter's copy of a tensor value with some facts changed, gives what
`dataclasses.replace` gives."""
from dataclasses import fields, replace

import pytest

from tensorlint.values import Tensor


def test_with_gives_what_replace_gives_for_every_field():
    base = Tensor((4, 3), "float32", fw="tf", name="x", requires_grad=True, labels=True, scale=255.0)
    for f in fields(Tensor):
        value = object() if f.name not in ("shape", "dtype") else ((2,) if f.name == "shape" else "int64")
        ours, theirs = base.with_(**{f.name: value}), replace(base, **{f.name: value})
        assert type(ours) is Tensor
        assert {g.name: getattr(ours, g.name) for g in fields(Tensor)} == {g.name: getattr(theirs, g.name) for g in fields(Tensor)}
    assert base.dtype == "float32" and base.shape == (4, 3)  # the original is unchanged


def test_a_tensor_has_no_post_init_and_every_field_is_an_init_argument():
    assert not hasattr(Tensor, "__post_init__")
    assert all(f.init for f in fields(Tensor))


def test_an_unknown_field_is_refused_as_replace_refuses_it():
    with pytest.raises(TypeError):
        Tensor((1,), "float32").with_(colour="red")
