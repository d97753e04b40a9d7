"""Which module names a call may read, followed through the names each definition uses: the
closure `dependencies` computes must be the fixed point of joining, for every name, what the
names it follows may read (cycles included: a class whose methods call a helper that builds it)."""
import random

from tensorlint import dependencies


def naive(own: dict, follow: dict) -> dict:
    out = {n: set(v) for n, v in own.items()}
    changed = True
    while changed:
        changed = False
        for n, nxt in follow.items():
            before = len(out[n])
            for x in nxt:
                out[n] |= out[x]
            changed = changed or len(out[n]) != before
    return out


def test_closure_is_the_fixed_point_on_graphs_with_cycles():
    for seed in range(300):
        r = random.Random(seed)
        names = [f"n{i}" for i in range(r.randint(1, 25))]
        own = {n: {f"g{r.randint(0, 12)}" for _ in range(r.randint(0, 3))} for n in names}
        follow = {n: {r.choice(names) for _ in range(r.randint(0, 4))} for n in names}
        want = naive(own, follow)
        got = {n: set(v) for n, v in own.items()}
        dependencies._close(got, follow)
        assert got == want, seed


def test_a_cycle_shares_what_each_member_reads():
    own = {"Net": {"helper_cfg"}, "helper": {"lr"}, "train": set(), "other": {"x"}}
    follow = {"Net": {"helper"}, "helper": {"Net"}, "train": {"Net"}, "other": set()}
    dependencies._close(own, follow)
    assert own["Net"] == own["helper"] == own["train"] == {"helper_cfg", "lr"}
    assert own["other"] == {"x"}
