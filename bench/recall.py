"""Precision and recall of the analyzer on the bug corpus (tests/corpus), per rule.

    python bench/recall.py            table: expected / found / false positives, precision, recall
    python bench/recall.py --misses   also list every missed expectation and false positive
    python bench/recall.py --update   rewrite tests/corpus/known_gaps.toml from the current misses

All rules are selected (opt-in ones included). An expectation counts as found when a finding of
its code is on its line (or on an `# also:` line of the same code); any other finding is a false
positive.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from corpus_support import (  # noqa: E402
    KNOWN_GAPS,
    analyze_corpus,
    format_key,
    load_known_gaps,
    write_known_gaps,
)

DEFAULT_REASON = "not reported by the engine yet"


def ratio(num: int, den: int) -> str:
    return f"{num / den:.2f}" if den else "-"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--update", action="store_true", help="rewrite known_gaps.toml from the current misses")
    ap.add_argument("--misses", action="store_true", help="list missed expectations and false positives")
    args = ap.parse_args(argv)

    start = time.perf_counter()
    results = analyze_corpus()
    seconds = time.perf_counter() - start

    expected, found, fps = Counter(), Counter(), Counter()
    missed, false_pos = [], []
    for r in results:
        for key in r.expected:
            expected[key[2]] += 1
            if r.satisfied(key):
                found[key[2]] += 1
            else:
                missed.append(key)
        for key in r.false_positives:
            fps[key[2]] += 1
            false_pos.append((key, r.messages.get(key, "")))
    crashes = [r for r in results if r.error]

    print(f"{'code':<7}{'expected':>9}{'found':>7}{'false+':>8}{'precision':>11}{'recall':>8}")
    for code in sorted(set(expected) | set(fps)):
        e, f, fp = expected[code], found[code], fps[code]
        print(f"{code:<7}{e:>9}{f:>7}{fp:>8}{ratio(f, f + fp):>11}{ratio(f, e):>8}")
    te, tf, tfp = sum(expected.values()), sum(found.values()), sum(fps.values())
    print(f"{'total':<7}{te:>9}{tf:>7}{tfp:>8}{ratio(tf, tf + tfp):>11}{ratio(tf, te):>8}")
    print(f"{len(results)} files, {len(crashes)} analyzer crashes, {seconds:.2f} s")
    for r in crashes:
        print(f"  crash {r.name}: {r.error}")

    if args.misses:
        for key in sorted(missed):
            print(f"  missed {format_key(key)}")
        for key, msg in sorted(false_pos):
            print(f"  false+ {format_key(key)} {msg}")

    if args.update:
        old = load_known_gaps()
        write_known_gaps({key: old.get(key, DEFAULT_REASON) for key in missed})
        print(f"wrote {len(missed)} entries to {KNOWN_GAPS.relative_to(Path.cwd()) if KNOWN_GAPS.is_relative_to(Path.cwd()) else KNOWN_GAPS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
