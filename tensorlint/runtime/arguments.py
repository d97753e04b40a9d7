"""A program whose argument parser refuses to run without its required arguments, checked
without any (`--args` not given): the check runs it again with values the program establishes.

- an argument with `choices=`: each of its choices;
- an argument the program compares with string literals (`if opt.dataset == "cifar10"`,
  `args.dataset in ["imagenet", "folder"]`): each of those literals, in the program's order;
- any other argument of strings (no `type=` of its own): a path that does not exist, so that a
  read of it fails as a file that is not here (the check's gap, never the program's error).

An argument of numbers (`type=int`) gets nothing: the check would invent the value, so the
program stays "could not check" with argparse's own message. At most MAX_RUNS command lines are
tried, in order, each a run of the program of its own with the check's time limit; the first run
that finds an error in the program is the report (a bug the program shows when run that way),
else the first that ran its model through, else the first. The report says which command line it
ran and what the others gave.
"""
from __future__ import annotations

import ast
import itertools
import shlex
from dataclasses import replace
from typing import Callable

PLACEHOLDER_ROOT = "/nonexistent-tensorlint-shapecheck"
MAX_RUNS = 4  # command lines tried at most
FOUND = ("errors", "problems")


def compared_literals(text: str, dest: str) -> list[str]:
    """The string literals the program compares `<anything>.dest` with (==, !=, in, not in), in
    its order. The literals of one `in [...]` test take the same branch there: only the first
    stands for them, unless another test names one of the others."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return []
    tests: list[tuple[int, int, list[str]]] = []

    def literals(node) -> list[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            items = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            return items if len(items) == len(node.elts) else []
        return []

    def is_argument(node) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == dest

    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare) or len(node.ops) != 1:
            continue
        if not isinstance(node.ops[0], (ast.Eq, ast.NotEq, ast.In, ast.NotIn)):
            continue
        left, right = node.left, node.comparators[0]
        if is_argument(left):
            values = literals(right)
        elif is_argument(right) and isinstance(node.ops[0], (ast.Eq, ast.NotEq)):
            values = literals(left)
        else:
            continue
        if values:
            tests.append((node.lineno, node.col_offset, values))
    tests.sort(key=lambda t: (t[0], t[1]))
    named = [v for _, _, values in tests for v in values]
    out: list[str] = []
    for _, _, values in tests:
        for i, value in enumerate(values):
            if value not in out and (i == 0 or named.count(value) > 1):
                out.append(value)
    return out


def placeholder(dest: str) -> str:
    return f"{PLACEHOLDER_ROOT}/{dest}"


def command_lines(text: str, required: list[dict]) -> list[tuple[list[str], list[str], str]]:
    """[(argv, placeholders, how the values were chosen)], at most MAX_RUNS; [] when an argument
    has no value the program establishes (a number)."""
    per_argument: list[list[tuple[str, bool]]] = []
    said: list[str] = []
    for arg in required:
        name = arg.get("flag") or arg.get("dest") or "?"
        if arg.get("choices"):
            per_argument.append([(c, False) for c in arg["choices"]])
            said.append(f"{name}: its choices")
            continue
        if arg.get("typed"):
            return []
        compared = compared_literals(text, str(arg.get("dest")))
        if compared:
            per_argument.append([(c, False) for c in compared])
            said.append(f"{name}: the values the program compares it with")
        else:
            per_argument.append([(placeholder(str(arg.get("dest"))), True)])
            said.append(f"{name}: a path that does not exist")
    out = []
    for combo in itertools.islice(itertools.product(*per_argument), MAX_RUNS):
        argv, made_up = [], []
        for arg, (value, is_placeholder) in zip(required, combo):
            argv += [arg["flag"], value] if arg.get("flag") else [value]
            if is_placeholder:
                made_up.append(value)
        out.append((argv, made_up, "; ".join(said)))
    return out


def with_required_arguments(path: str, text: str, options, first, run: Callable):
    """The report of the program run with values for its required arguments (see above), or
    `first` when none can be chosen. `run(options)` checks the program once."""
    if not first.required_args or options.argv:
        return first
    lines = command_lines(text, first.required_args)
    if not lines:
        return first
    tried: list[tuple[list[str], object]] = []
    for argv, made_up, _ in lines:
        if options.cancel is not None and options.cancel.is_set():
            break
        report = run(replace(options, argv=argv, placeholders=made_up))
        tried.append((argv, report))
        if report.status in FOUND:
            break
    if not tried:
        return first
    chosen = next((r for r in tried if r[1].status in FOUND), None) \
        or next((r for r in tried if r[1].status == "ok"), None) or tried[0]
    argv, report = chosen
    how = lines[0][2]
    others = "; ".join(f"`{shlex.join(a)}`: {r.status}" for a, r in tried if r is not report)
    report.notes.insert(0, (
        f"the program requires arguments ({', '.join(a.get('flag') or a.get('dest') for a in first.required_args)}) and "
        f"none were given (--args): it ran as `{shlex.join([path, *argv])}` ({how})"
        + (f"; also tried {others}" if others else "")
        + (f"; not tried: {len(lines) - len(tried)} more" if len(lines) > len(tried) else "")))
    return report
