"""Broken and odd input never crashes or hangs the analyzer, and the CLI exits 0 or 1.

A small budget runs here; `python bench/fuzz.py` runs the large one (20,000+ inputs).
"""
from __future__ import annotations

import random
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness import check
from mutations import encode, mutate, seed_texts

SEEDS = seed_texts()
TEXTS = [text for _, text in SEEDS]
def budget(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


def test_there_are_seeds():
    assert len(SEEDS) >= 20, [name for name, _ in SEEDS]


@budget(400)
@given(index=st.integers(0, len(SEEDS) - 1), rng=st.randoms(use_true_random=False))
def test_mutated_seed_is_analyzed_without_error(index, rng):
    seed = TEXTS[index]
    text = mutate(seed, rng, TEXTS)
    assert check(text, before=seed) == []


@pytest.mark.parametrize("name,text", SEEDS[::3], ids=[name for name, _ in SEEDS[::3]])
def test_seed_cut_mid_line_is_analyzed_without_error(name, text):
    cut = text[: int(len(text) * 0.61)]
    assert check(cut, before=text) == []


@budget(12)  # generating from the grammar is slow: about 1 s an example
@given(st.data())
def test_generated_python_is_analyzed_without_error(data):
    hypothesmith = pytest.importorskip("hypothesmith")
    source = data.draw(hypothesmith.from_grammar())
    # without a framework name the engine skips the file; these lines make it look
    text = "import torch\nimport torch.nn as nn\nimport tensorflow as tf\n" + source
    assert check(text) == []


@budget(40)
@given(st.data())
def test_generated_syntax_tree_is_analyzed_without_error(data):
    hypothesmith = pytest.importorskip("hypothesmith")
    source = data.draw(hypothesmith.from_node())
    assert check("import torch\nfrom tensorflow import keras\n" + source) == []


@budget(100)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_arbitrary_text_with_a_framework_name(text):
    assert check("import torch\n" + text) == []


def _cli(*args, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tensorlint", "check", "--isolated", "--no-cache", "--select", "ALL", *args],
        input=stdin, capture_output=True, timeout=300,
    )


def test_cli_exits_0_or_1_on_broken_files(tmp_path):
    rng = random.Random(8)
    for i in range(60):
        seed = rng.choice(TEXTS)
        (tmp_path / f"broken_{i:02}.py").write_bytes(encode(mutate(seed, rng, TEXTS)))
    (tmp_path / "nul_byte.py").write_bytes(b"import torch\nx = 1\x00\n")
    (tmp_path / "bom_crlf.py").write_bytes(b"\xef\xbb\xbfimport torch\r\nx = torch.zeros(3\r\n")
    (tmp_path / "empty.py").write_bytes(b"")
    done = _cli("--jobs", "1", str(tmp_path))
    out = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
    assert done.returncode in (0, 1), out
    assert "internal error" not in out


def test_cli_names_a_file_that_is_not_utf8_and_goes_on(tmp_path):
    (tmp_path / "a_invalid.py").write_bytes(b"import torch\nx = '\xff\xfe'\n")
    (tmp_path / "b_valid.py").write_text("import torch\nx = torch.zeros(3\n", encoding="utf-8")
    done = _cli("--jobs", "1", str(tmp_path))
    err = done.stderr.decode(errors="replace")
    assert done.returncode == 1
    assert "a_invalid.py:2:1: TL001" in done.stdout.decode()
    assert "Traceback" not in err
    assert "b_valid.py:2:" in done.stdout.decode()  # TL001: '(' was never closed


def test_cli_exits_0_or_1_on_broken_file_named_alone(tmp_path):
    rng = random.Random(80)
    for i in range(3):
        path = tmp_path / f"alone_{i}.py"
        path.write_bytes(encode(mutate(rng.choice(TEXTS), rng, TEXTS)))
        done = _cli(str(path))
        assert done.returncode in (0, 1), done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")


def test_cli_exits_0_or_1_on_broken_standard_input():
    rng = random.Random(800)
    text = mutate(rng.choice(TEXTS), rng, TEXTS)
    done = _cli("--stdin-filename", "train.py", "-", stdin=encode(text))
    assert done.returncode in (0, 1), done.stderr.decode(errors="replace")
