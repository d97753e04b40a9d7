"""Reading the bug corpus: inline expectations, known gaps, and the analyzer's findings on it.

Corpus files live in tests/corpus/. A line that must be flagged ends with a comment
`# expect: TL201` (several codes: `# expect: TL201, TL204`). Where the faulty statement is
honestly ambiguous (a mismatch inside `forward` can be reported there or at the call that feeds
the model), another line may carry `# also: TL201`: a finding there satisfies the file's TL201
expectation instead, and is not a false positive. known_gaps.toml lists the
expectations the engine does not find yet, one `"file:line:code" = "reason"` entry each.
Used by tests/test_corpus.py and bench/recall.py.
"""
from __future__ import annotations

import io
import re
import textwrap
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from tensorlint.config import Config
from tensorlint.engine import analyze

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
KNOWN_GAPS = CORPUS / "known_gaps.toml"
NOT_PROGRAMS = {"verify_runtime.py"}
EXPECT = re.compile(r"#\s*(?P<kind>expect|also):\s*(?P<codes>[A-Z]+\d+(?:\s*,\s*[A-Z]+\d+)*)\s*$")
ALL = Config(select=("ALL",))

Key = tuple[str, int, str]  # (file name, line, code)


@dataclass
class FileResult:
    name: str
    expected: set[Key] = field(default_factory=set)
    alternatives: set[Key] = field(default_factory=set)  # `# also:` lines
    found: set[Key] = field(default_factory=set)
    messages: dict[Key, str] = field(default_factory=dict)
    error: str | None = None  # the analyzer raised

    @property
    def false_positives(self) -> set[Key]:
        return self.found - self.expected - self.alternatives

    def satisfied(self, key: Key) -> bool:
        """The expectation was reported on its line, or on an `# also:` line of the same code."""
        return key in self.found or any(
            alt in self.found for alt in self.alternatives if alt[2] == key[2]
        )

    @property
    def missed(self) -> set[Key]:
        return {k for k in self.expected if not self.satisfied(k)}


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.glob("*.py") if p.name not in NOT_PROGRAMS)


def expectations(name: str, text: str) -> set[Key]:
    """Every `# expect:` key of a file."""
    return markers(name, text)["expect"]


def markers(name: str, text: str) -> dict[str, set[Key]]:
    """`# expect:` and `# also:` keys, read from comment tokens (text inside a string does not count).

    A file that does not tokenize (the syntax-error cases) is read line by line instead.
    """
    found: dict[str, set[Key]] = {"expect": set(), "also": set()}
    try:
        comments = [
            (tok.start[0], tok.string)
            for tok in tokenize.generate_tokens(io.StringIO(text).readline)
            if tok.type == tokenize.COMMENT
        ]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        comments = [(i, line[line.index("#"):]) for i, line in enumerate(text.splitlines(), 1) if "#" in line]
    for line, comment in comments:
        m = EXPECT.search(comment)
        if m:
            for code in m.group("codes").split(","):
                found[m.group("kind")].add((name, line, code.strip()))
    return found


def analyze_file(path: Path, config: Config = ALL) -> FileResult:
    text = path.read_text(encoding="utf-8")
    marks = markers(path.name, text)
    result = FileResult(path.name, expected=marks["expect"], alternatives=marks["also"])
    try:
        analysis = analyze(text, str(path), config)
    except Exception as err:  # a crash is reported, not raised: the other files still count
        result.error = f"{type(err).__name__}: {err}"
        return result
    for f in analysis.findings:
        key = (path.name, f.span.start.line, f.code)
        result.found.add(key)
        result.messages.setdefault(key, f.message)
    return result


def analyze_corpus(config: Config = ALL) -> list[FileResult]:
    return [analyze_file(p, config) for p in corpus_files()]


def parse_key(text: str) -> Key:
    name, line, code = text.rsplit(":", 2)
    return name, int(line), code


def format_key(key: Key) -> str:
    return f"{key[0]}:{key[1]}:{key[2]}"


def load_known_gaps(path: Path = KNOWN_GAPS) -> dict[Key, str]:
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {parse_key(k): str(v) for k, v in data.get("gaps", {}).items()}


def write_known_gaps(missed: dict[Key, str], path: Path = KNOWN_GAPS) -> None:
    lines = [
        "# Expected findings (tests/corpus, `# expect:` comments) that the engine does not report yet.",
        "# One entry per file:line:code with the reason. tests/test_corpus.py skips these in its recall",
        "# check and fails when one of them starts being found. Regenerate: python bench/recall.py --update",
        "",
        "[gaps]",
    ]
    for key in sorted(missed):
        reason = missed[key].replace("\\", "\\\\").replace('"', '\\"')
        lines.append(f'"{format_key(key)}" = "{reason}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run_with_torch(text: str, tmp_path):
    """Run a program under the Python of this environment; the test is skipped without torch."""
    import subprocess
    import sys

    import pytest

    if subprocess.run([sys.executable, "-c", "import torch"], capture_output=True).returncode != 0:
        pytest.skip("torch is not installed")
    path = tmp_path / "prog.py"
    path.write_text(text)
    return subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=300)


def marked_and_found(code: str, name: str, case: str) -> tuple[set[int], set[int]]:
    """An inline test case's `# expect: CODE` lines and the lines where the analyzer (all rules)
    reports CODE, for tests that write a rule's bug and look-alikes inline (indented text)."""
    text = textwrap.dedent(case).lstrip("\n")
    marked = {n for n, line in enumerate(text.splitlines(), 1) if re.search(rf"#\s*expect:.*\b{code}\b", line)}
    found = {f.line for f in analyze(text, f"{name}.py", ALL).findings if f.code == code}
    return marked, found


def only_finding(code: str, case: str, config: Config = ALL):
    """The one finding of `code` on an inline test case (indented text)."""
    (finding,) = [f for f in analyze(textwrap.dedent(case).lstrip("\n"), "t.py", config).findings if f.code == code]
    return finding


def checked_as_file(tmp_path, capsys, name: str, text: str, select: str) -> tuple[list, list]:
    """An inline case's `# expect: CODE` (line, code) pairs and those that the command line
    (`tensorlint check --select SELECT`) reports on it written as a file, both sorted."""
    from tensorlint.cli import main

    marked = sorted((n, m["codes"]) for n, line in enumerate(text.splitlines(), 1) if (m := EXPECT.search(line)))
    path = tmp_path / f"{name}.py"
    path.write_text(text)
    assert main(["check", "--format", "json", "--no-cache", "--exit-zero", "--select", select, str(path)]) == 0
    import json

    found = sorted((f["location"]["row"], f["code"]) for f in json.loads(capsys.readouterr().out))
    return marked, found


def edited_case(cases: dict, lookalikes: dict, name: str) -> str:
    """The text of a case, or of a look-alike `(case, old, new)` of one: the case's text with
    `old` replaced by `new` and its `# expect:` marks removed (a look-alike stays silent)."""
    base, old, new = lookalikes.get(name, (name, "", ""))
    text = textwrap.dedent(cases[base]).lstrip("\n")
    assert old in text, name
    text = text.replace(old, new)
    return re.sub(r"  # expect: TL\d+", "", text) if name in lookalikes else text
