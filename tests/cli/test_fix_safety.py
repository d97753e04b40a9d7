"""Property: no fix tensorlint offers, safe or unsafe, breaks a program.

Every fix is applied (as `check --fix --unsafe-fixes` does) to generated training scripts
(tests/cli/training_programs.py) and to the real programs the project holds (tests/corpus/,
examples/, the real-bug set when it is present). The result must parse; and where the program
can run here (torch on the CPU, synthetic data, a few seconds), the original and the fixed
version both run and the fixed one must not raise where the original did not, nor fail on a line
a fix wrote with an error a correct edit cannot cause (fix_safety.broke).

Cost: about a minute at the default size. `TENSORLINT_FIX_SAFETY=slow` draws ten times as many
generated programs and also runs the TensorFlow / Keras programs (a fresh interpreter each);
`TENSORLINT_RUNTIME_PYTHON` names the interpreter that runs the programs (default: this one).
"""
from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from fix_safety import Runner, broke, frameworks
from tensorlint.config import Config
from tensorlint.fixer import apply_findings, fix_until_stable, parses
from tensorlint.runner import _analyze
from training_programs import training_programs

ROOT = Path(__file__).resolve().parents[2]
REALBUGS = Path("/work/shared/realbugs/files")
SLOW = os.environ.get("TENSORLINT_FIX_SAFETY", "") == "slow"
CONFIG = Config(select=("ALL",))
RUNTIME_HEADER = re.compile(r"^#\s*runtime:", re.M)
# what reaches outside the machine or needs files that are not here
NEEDS_OUTSIDE = re.compile(r"load_data\(|urlretrieve|download=True|tfds\.|hub\.|read_csv|ImageFolder|flow_from|open\(|np\.load|"
                           r"torchvision|load_img|input_data|requests\.|get_file\(|datasets\.")

# Real programs checked at run time besides the corpus files (which declare `# runtime:`):
# each makes its own data and finishes in seconds.
RUNNABLE_EXAMPLES = ("custom_loss.py", "mnist_cnn.py", "numpy_regression.py", "tabular_churn.py", "keras_custom_layer.py")


@functools.lru_cache(maxsize=512)
def fix_all(text: str, path: str = "program.py"):
    """What `tensorlint check --fix --unsafe-fixes --select ALL` writes."""
    return fix_until_stable(text, lambda t: _analyze(t, path, CONFIG), apply_findings, parses, unsafe=True)


def real_programs() -> list[Path]:
    paths = sorted((ROOT / "tests" / "corpus").glob("*.py")) + sorted((ROOT / "examples").glob("*.py"))
    if REALBUGS.is_dir():
        paths += sorted(REALBUGS.glob("*.py"))
    return paths


def runnable(path: Path, text: str) -> bool:
    """Marked runnable: a corpus file that declares its outcome, a listed example, or a real-bug
    program that makes its own data. TensorFlow programs only when asked (each costs an import)."""
    if "tf" in frameworks(text) and not SLOW:
        return False
    if path.parent.name == "corpus":
        return bool(RUNTIME_HEADER.search(text))
    if path.parent.name == "examples":
        return path.name in RUNNABLE_EXAMPLES
    return not NEEDS_OUTSIDE.search(text)


@pytest.fixture(scope="module")
def runner():
    r = Runner(timeout=60 if SLOW else 20)
    if not r.available("torch"):
        r.close()
        pytest.skip(f"{r.python} cannot import torch: set TENSORLINT_RUNTIME_PYTHON to an interpreter with torch 2.13")
    yield r
    r.close()


def assert_not_broken(runner, original: str, fixed: str, what: str) -> None:
    before, after = runner.run(original), runner.run(fixed)
    why = broke(original, fixed, before, after)
    assert why is None, f"{what}: {why}\n--- fixed program ---\n{fixed}"


# -- real programs ------------------------------------------------------------------------------

REAL = real_programs()


@pytest.mark.parametrize("path", REAL, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_fix_of_a_real_program_parses_and_settles(path):
    text = path.read_text(encoding="utf-8")
    if not parses(text):
        pytest.skip("not Python the parser takes (a TL001 example)")
    result = fix_all(text, path.name)
    assert parses(result.state)
    assert fix_all(result.state, path.name).state == result.state  # applying again changes nothing


def _changed_runnable():
    out = []
    for path in REAL:
        text = path.read_text(encoding="utf-8")
        if parses(text) and runnable(path, text):
            out.append(pytest.param(path, id=f"{path.parent.name}/{path.name}"))
    return out


@pytest.mark.parametrize("path", _changed_runnable())
def test_fixes_of_a_runnable_real_program_do_not_make_it_raise(path, runner):
    text = path.read_text(encoding="utf-8")
    result = fix_all(text, path.name)
    if result.state == text:
        return  # nothing to fix: nothing that could break
    assert_not_broken(runner, text, result.state, f"{path.name}, fixed by {sorted({f.code for f in result.fixed})}")


def test_the_real_programs_are_there_and_some_get_fixed():
    """The checks above must not pass by finding nothing to do."""
    runnable_fixed = [p for p in REAL if parses(t := p.read_text(encoding="utf-8")) and runnable(p, t) and fix_all(t, p.name).fixed]
    assert len(runnable_fixed) >= 20


# -- generated programs -------------------------------------------------------------------------

EXAMPLES = 300 if SLOW else 30


@settings(max_examples=EXAMPLES, deadline=None, derandomize=not SLOW, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(training_programs())
def test_fixes_of_generated_training_programs_parse_and_do_not_make_them_raise(runner, program):
    result = fix_all(program)
    assert parses(result.state)
    if result.state != program:
        assert_not_broken(runner, program, result.state, f"fixed by {sorted({f.code for f in result.fixed})}")


def test_the_generators_write_the_bugs_the_fixes_are_for():
    """A property over programs without fixable bugs would prove nothing: among the programs the
    strategies draw, each of these rules finds something to fix, and GAN loops miss two
    `zero_grad()` calls at once."""
    fixable: set = set()
    two_optimizers = []

    @settings(max_examples=120, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
    @given(training_programs())
    def draw(program):
        codes = [f.code for f in _analyze(program, "program.py", CONFIG) if f.fix is not None]
        fixable.update(codes)
        if "opt_d" in program and codes.count("TL403") >= 2:
            two_optimizers.append(program)

    draw()
    assert {"TL101", "TL102", "TL403", "TL407", "TL408", "TL409", "TL503"} <= fixable, fixable
    assert two_optimizers
