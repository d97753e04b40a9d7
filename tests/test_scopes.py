"""The names a chunk may change in place and the names a body binds (`tensorlint.scopes`): what
the incremental analysis reads off every chunk an edit changes, so read by a walk of the code
nodes, not libcst's visitor (which rebuilds every node it passes)."""
from __future__ import annotations

import libcst as cst
import pytest

from tensorlint.scopes import bound_names, changes_of, locals_of

CASES = [
    # (source, top_changes, inner_changes)
    ("x.add_(1)\ny[0] = 2\nz.a.b = 3\n", {"x", "y", "z"}, set()),
    ("del a[0]\ndel b\ndel (c, d.e)\n", {"a", "b", "c", "d"}, set()),
    ("if (n := 3):\n    pass\n", {"n"}, set()),
    ("for q.i in range(3):\n    pass\n[0 for r.j in range(2)]\n", {"q", "r"}, set()),
    ("with open('f') as s.h:\n    pass\n", {"s"}, set()),
    # a function's parameters and locals shadow the module's names; others are its changes
    ("def f(a, *b, c=1, **d):\n    a.x = 1\n    b.append(2)\n    e = []\n    e.append(1)\n    g.update(1)\n",
     set(), {"g"}),
    ("def f():\n    global m\n    m = 1\n    k.step()\n", set(), {"m", "k"}),
    ("def outer():\n    def inner():\n        nonlocal t\n    t = 1\n", set(), {"t"}),
    # a lambda's parameters shadow; its body is inner code
    ("f = lambda p: p.append(1) or u.append(2)\n", set(), {"u"}),
    # a method: `self` is a parameter; a default value is read where the def runs, inside its frame
    ("class C:\n    def m(self, opt=o.copy()):\n        self.w = 1\n        net.zero_grad()\n", set(), {"o", "net"}),
    ("import numpy as np\nfrom os import path as p\nv.w = np.zeros(3)\n", {"v", "np"}, set()),
]


@pytest.mark.parametrize("source, top, inner", CASES)
def test_changes_written_several_ways(source, top, inner):
    assert changes_of(cst.parse_module(source)) == (frozenset(top), frozenset(inner))


BOUND = [
    ("a = 1\nb, (c, *d) = 2, (3, 4)\n", {"a", "b", "c", "d"}),
    ("e += 1\nf: int = 2\ng.h = 3\n", {"e", "f"}),
    ("for i, j in x:\n    k = i\nwith m() as n:\n    pass\n", {"i", "j", "k", "n"}),
    ("import os as o\ntry:\n    pass\nexcept E as err:\n    pass\n", {"o", "err"}),
    # a nested function's or class's own body is its own: only its name is bound here
    ("def f():\n    inner = 1\nclass C:\n    attr = 2\n", {"f", "C"}),
]


@pytest.mark.parametrize("source, names", BOUND)
def test_bound_names_written_several_ways(source, names):
    assert bound_names(cst.parse_module(source).body) == frozenset(names)


def test_a_function_body_makes_its_assigned_names_local():
    func = cst.parse_module("def f(x):\n    y = x\n    z.append(1)\n    global g\n    g = 2\n").body[0]
    assert locals_of(func.body) == frozenset({"y"})


def test_read_without_libcst_visitors(monkeypatch):
    module = cst.parse_module("class C:\n    def m(self, a):\n        b = a\n        w.step()\n\nx.y = 1\n")

    def refuse(self, visitor):
        raise AssertionError("a libcst visitor walked the tree")

    monkeypatch.setattr(cst.CSTNode, "visit", refuse)
    monkeypatch.setattr(cst.Module, "visit", refuse)
    assert changes_of(module) == (frozenset({"x"}), frozenset({"w"}))
    assert bound_names(module.body) == frozenset({"C"})


def test_a_chunks_names_read_without_libcst_visitors(monkeypatch):
    from tensorlint.chunk_names import chunk_names

    module = cst.parse_module("class Agent:\n    def replay(self, batch):\n        for s, r in batch:\n"
                              "            q = self.target(s) + r * gamma\n            opt.step()\n")

    def refuse(self, visitor):
        raise AssertionError("a libcst visitor walked the tree")

    monkeypatch.setattr(cst.CSTNode, "visit", refuse)
    monkeypatch.setattr(cst.Module, "visit", refuse)
    names = chunk_names(module)
    assert names.binds == {"Agent": "def"}
    assert {"gamma", "opt"} <= names.inner_reads and "q" not in names.reads
    assert names.inner_changes == frozenset({"opt"})
