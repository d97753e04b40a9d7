"""Facts the rules read from each chunk's syntax tree, computed once per tree: the language
server keeps a chunk's tree, and so these facts, across edits that do not touch it."""
from __future__ import annotations

import libcst as cst

_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def module_names(ctx) -> dict:
    """The file's top-level names and their values (imports are `Ref`s)."""
    return getattr(getattr(ctx, "root", None), "env", None) or getattr(ctx, "module_env", None) or {}


def per_chunk(ctx, key, compute) -> list:
    """`compute(module)` for the tree of every chunk, in order, each computed once per tree: a
    rule that reads the whole file costs, after an edit, the chunks the edit changed (the
    language server keeps the others' trees, and what was computed from them). `key` names
    the computation and every argument it depends on besides the tree."""
    return _per_chunk(ctx, key, compute, "module")


def per_chunk_text(ctx, key, compute) -> list:
    """`compute(text)` for the source text of every chunk, in order, each computed once per
    tree (a chunk's text goes with its tree): a search of the text that an edit repeats on
    the chunks it changed alone. `key` as for `per_chunk`."""
    return _per_chunk(ctx, key, compute, "text")


def texts_of(ctx, key, compute) -> list:
    """`compute(text)` for the texts that add up to the file's: each chunk's, once per tree
    (`per_chunk_text`), or the file's whole text where the chunks leave some out (statements
    that do not parse, which a tolerant analysis skips): for a count over the whole text."""
    return [compute(ctx.text)] if texts_fall_short(ctx) else per_chunk_text(ctx, key, compute)


def text_matches(ctx, pattern) -> bool:
    """Whether the compiled `pattern` (or any of a tuple of them) matches somewhere in the file's text, searched in each
    chunk's text once per tree (`texts_of`): a rule's gate that an edit repeats on the chunks
    it changed alone. A match must lie within one top-level statement (a name, a call's
    opening): chunks are whole statements."""
    patterns = pattern if isinstance(pattern, tuple) else (pattern,)
    return any(texts_of(ctx, ("matches", patterns), lambda t: any(p.search(t) is not None for p in patterns)))


def texts_fall_short(ctx) -> bool:
    """The chunks' texts leave some of the file's out (statements that do not parse, which a
    tolerant analysis skips); once per run."""
    run = run_facts(ctx)
    short = run.get("texts fall short")
    if short is None:
        short = run["texts fall short"] = sum(len(c.text) for c in ctx.chunks) != len(ctx.text)
    return short


def per_chunk_index(ctx, key, compute) -> list:
    """`compute(i)` for every chunk index `i`, in order, each computed once per tree: for a fact
    of the chunk's tree that shared per-tree indexes (`_common.scope_calls`) give. `compute`
    reads chunk `i`'s tree alone; `key` as for `per_chunk`."""
    return _per_chunk(ctx, key, compute, None)


def chunk_statements(ctx, i: int) -> list:
    """Every statement of chunk `i`'s tree, nested ones included, in source order
    (`cstwalk.statements`), listed once per tree: the rules that read a chunk's statements
    share one walk of them."""
    from tensorlint.cstwalk import statements

    module = ctx.chunks[i].module
    return ctx.tree_fact(i, ("statements",), lambda: list(statements(module)))


def per_chunk_statements(ctx, key, compute) -> list:
    """`compute(statements)` for every chunk, in order, of its `chunk_statements`, each computed
    once per tree (`per_chunk_index`); `key` as for `per_chunk`."""
    return per_chunk_index(ctx, key, lambda i: compute(chunk_statements(ctx, i)))


def calls_where(ctx, key, keep) -> list:
    """The calls of `_common.module_calls` (every call of the file, scope by scope) that
    `keep(call)` accepts, in the same order; each chunk's calls filtered once per tree, so a
    rule that scans every call for a few of one shape costs, after an edit, the chunks it
    changed. `keep` reads the call's own syntax alone; `key` names it."""
    def filtered(i):
        return [c for c in chunk_calls(ctx, i) if keep(c)]

    return [c for calls in _per_chunk(ctx, ("calls where", key), filtered, None) for c in calls]


def calls_named(ctx, names) -> list:
    """The calls of `_common.module_calls`, in the same order, whose callee's last name is one of
    `names`: the last part of its qualified name where the head of the name it is called by is
    bound to an import (read through the imports and aliases, as `_common.imported_qualname`
    reads it: `T.sum(x)` after `import torch as T`, `add(x)` after `from torch import sum as
    add`, are both `sum`), else the last name written (`x.sum()`, `sum(xs)`). A rule that looks
    for a few functions among every call of the file checks these candidates alone (its own
    test of each still applies). Each chunk's calls are indexed by that name once per tree
    (`_callee_index`), and each name's calls gathered from the last run's for the chunks an
    edit did not change (`gathered_by_chunk`)."""
    names = tuple(sorted(set(names)))
    run = run_facts(ctx)
    got = run.get(("calls named", names))
    if got is None:
        parts = _callee_index(ctx)
        if len(names) > 8 and ctx.__dict__.get("kept_lists") is None:
            # many names (TL227's layers) and no document to keep them for: each chunk's names
            # that are sought, instead of a look in every chunk for each name sought
            wanted = frozenset(names)
            hits = [(i, k, c) for i, part in enumerate(parts) for n in wanted.intersection(part) for k, c in part[n]]
        else:
            hits = [(i, k, c) for n in names for i, found in gathered_by_chunk(ctx, _CALLEES_KEY, parts, n) for k, c in found]
        if len(names) > 1:
            hits.sort(key=lambda h: (h[0], h[1]))
        got = run[("calls named", names)] = [c for _, _, c in hits]
    return got


def calls_written(ctx, names) -> list:
    """The calls of `_common.module_calls`, in the same order, whose function is written with a
    last name among `names` (`f(...)`, `x.f(...)`: `_reaching.called_name`), read from the
    syntax alone. Each chunk's calls are indexed by that name once per tree, and each name's
    calls gathered from the last run's for the chunks an edit did not change
    (`gathered_by_chunk`)."""
    names = tuple(sorted(set(names)))
    run = run_facts(ctx)
    got = run.get(("calls written", names))
    if got is None:
        key = ("calls by written name",)
        parts = per_chunk_index(ctx, key, lambda i: _by_written_name(chunk_calls(ctx, i)))
        hits = [(i, k, c) for n in names for i, found in gathered_by_chunk(ctx, key, parts, n) for k, c in found]
        if len(names) > 1:
            hits.sort(key=lambda h: (h[0], h[1]))
        got = run[("calls written", names)] = [c for _, _, c in hits]
    return got


def _by_written_name(calls) -> dict:
    out: dict = {}
    for k, call in enumerate(calls):
        func = call.func
        kind = type(func)
        name = func.attr.value if kind is cst.Attribute else func.value if kind is cst.Name else None
        if name is not None:
            out.setdefault(name, []).append((k, call))
    return out


def _callee_index(ctx) -> list:
    """Per chunk: callee's last name (`calls_named`) -> [(its place among the chunk's calls
    (`chunk_calls`), the call)]. A chunk's index reads, beyond its tree, the imports its calls'
    heads are bound to: it is kept with its tree for an epoch, a span of runs of the document
    (the language server's) in which every head any index read stayed bound to the same import;
    a head bound anew starts an epoch, in which every index is made again. Within one, an edit
    indexes the chunks it changed alone."""
    run = run_facts(ctx)
    got = run.get(_CALLEES)
    if got is not None:
        return got
    from tensorlint.values import Ref

    env = module_names(ctx)
    quals: dict = {}  # head -> the qualified name of the import it is bound to in this run (None: none)

    def qual(head):
        q = quals.get(head, _ABSENT)
        if q is _ABSENT:
            v = env.get(head)
            q = quals[head] = v.qualname if isinstance(v, Ref) else None
        return q

    kept = ctx.__dict__.get("kept_lists")
    last = kept.get(_CALLEES) if kept is not None else None  # (epoch, heads read, facts, indexes)
    if last is not None and all(qual(h) == q for h, q in last[1].items()):
        epoch = last[0]
    else:
        epoch, last = object(), None
        if kept is not None:  # what was gathered from the last epoch's indexes goes with them
            kept.pop(_token(_CALLEES_KEY, "gathered"), None)
    facts = run.get(_FACTS)
    if facts is None:
        facts = run[_FACTS] = [c.memo.get("facts") or c.memo.setdefault("facts", {}) for c in ctx.chunks]
    first, after = _same_ends(run, last[2], facts) if last is not None else (0, 0)
    n = len(facts)
    out = last[3][:first] + [None] * (n - first - after) if last is not None else [None] * n
    if after:
        out += last[3][len(last[3]) - after:]
    for i in range(first, n - after):
        mine = facts[i].get(_CALLEES)
        if mine is None or mine[0] is not epoch:
            mine = facts[i][_CALLEES] = (epoch, _callees(ctx, i, qual))
        out[i] = mine[1]
    run[_CALLEES] = out
    if kept is not None:
        kept[_CALLEES] = (epoch, quals, facts, out)
    return out


def _callees(ctx, i: int, qual) -> dict:
    """Chunk `i`'s index for `_callee_index`; `qual(head)`: the import a head is bound to."""
    from tensorlint.frameworks.registry import canonical
    from tensorlint.syntax import dotted

    out: dict = {}
    for k, call in enumerate(chunk_calls(ctx, i)):
        func = call.func
        base = func
        while type(base) is cst.Attribute:  # the head of the name, read before the whole name
            base = base.value
        q = qual(base.value) if type(base) is cst.Name else None
        if q is not None:
            rest = dotted(func).partition(".")[2]
            last = canonical(q + ("." + rest if rest else "")).rpartition(".")[2]
        elif type(func) is cst.Name:
            last = func.value
        elif type(func) is cst.Attribute:
            last = func.attr.value
        else:
            continue
        out.setdefault(last, []).append((k, call))
    return out


_CALLEES = object()  # the run's, each chunk's and the document's key for `_callee_index`
_CALLEES_KEY = ("calls by callee",)  # `gathered_by_chunk`'s key for its indexes


def chunk_calls(ctx, i: int) -> list:
    """The calls of chunk `i` in the order `_common.module_calls` lists them (scope by scope),
    from the same per-tree index (one walk per tree)."""
    from tensorlint.cstwalk import nodes_by_scope

    module = ctx.chunks[i].module
    index = ctx.tree_fact(i, _CALLS_BY_SCOPE, lambda: nodes_by_scope(module, _SCOPES, (cst.Call,)))
    return [c for calls in index.values() for c in calls]


def chunk_parents(chunk) -> dict:
    """node -> its parent for the code of `chunk`'s tree (`cstwalk.parent_links`), kept with the
    tree. Where the tree's calls by scope (`chunk_calls`) are not filed yet, the walk that links
    the nodes files them too: the rules that ask for parents ask for calls as well."""
    from tensorlint.cstwalk import nodes_by_scope, parent_links

    memo = chunk.memo
    links = memo.get("parents")
    if links is None:
        facts = memo.get("facts")
        if facts is None:
            facts = memo["facts"] = {}
        if _CALLS_BY_SCOPE in facts:
            links = parent_links(chunk.module)
        else:
            links = {}
            facts[_CALLS_BY_SCOPE] = nodes_by_scope(chunk.module, _SCOPES, (cst.Call,), links)
        memo["parents"] = links
    return links


_CALLS_BY_SCOPE = ("calls by scope",)  # `ctx.tree_fact`'s key for a tree's calls by scope


def _per_chunk(ctx, key, compute, what) -> list:
    # once per run as well: a rule that asks per event (a backward() call, a name) gets the
    # same list again, not a pass over every chunk's memo each time
    run = run_facts(ctx)
    got = run.get((key, what), _ABSENT)
    if got is not _ABSENT:
        return got
    # each chunk's facts are filed under one token per key: a key (a tuple of names, types and
    # functions) is hashed once per run, not once per chunk
    token = _TOKENS.get((key, what))
    if token is None:
        token = _TOKENS[(key, what)] = object()
    facts = run.get(_FACTS)
    if facts is None:  # (what `ctx.tree_fact` keeps, without a call per chunk)
        facts = run[_FACTS] = [c.memo.get("facts") or c.memo.setdefault("facts", {}) for c in ctx.chunks]
    kept = ctx.__dict__.get("kept_lists")  # a document's last list for each key (the server's)
    last = kept.get(token) if kept is not None else None
    first, after = 0, 0
    if last is not None:
        # the chunks before and after those an edit changed are those of the last run: their
        # part of the list is the last run's, copied whole
        first, after = _same_ends(run, last[0], facts)
        out = last[1][:first] + [f.get(token, _ABSENT) for f in facts[first:len(facts) - after]]
        out += last[1][len(last[1]) - after:] if after else []
    else:
        out = [f.get(token, _ABSENT) for f in facts]
    run[(key, what)] = out
    for i in range(first, len(out) - after):
        if out[i] is _ABSENT:  # a chunk whose tree is new
            out[i] = facts[i][token] = compute(getattr(ctx.chunks[i], what) if what is not None else i)
    if kept is not None:
        kept[token] = (facts, out)
    return out


def gathered(ctx, key, compute, name) -> list:
    """What every chunk's dict `per_chunk(ctx, key, compute)` holds under `name`, in chunk order,
    in one list. Kept from run to run of a document (the language server's) for each name a run
    asks about: the next run reads the dicts of the chunks an edit changed, and takes the
    others' entries from the last run's list, instead of reading every chunk's dict again."""
    run = run_facts(ctx)
    done = run.get((key, "gathered flat"))
    if done is None:
        done = run[(key, "gathered flat")] = {}
    got = done.get(name)
    if got is None:
        got = done[name] = [e for _, entries in gathered_by_chunk(ctx, key, per_chunk(ctx, key, compute), name)
                            for e in entries]
    return got


class ByName:
    """name -> a list, `compute(name)` on the first ask: a merge of every chunk's dicts made for
    the names a check asks about (`gathered`, `gathered_by_chunk`), not for every name."""

    def __init__(self, compute):
        self.compute, self.done = compute, {}

    def get(self, name, default=None):
        got = self.done.get(name)
        if got is None:
            got = self.done[name] = self.compute(name)
        return got if got else default

    def __contains__(self, name) -> bool:
        return bool(self.get(name))


def gathered_by_chunk(ctx, key, parts, name) -> list:
    """[(i, parts[i][name])] for every chunk `i` whose dict holds `name`, where `parts` is this
    run's list of `per_chunk(ctx, key, ...)` or `per_chunk_index(ctx, key, ...)`: `gathered`,
    with the index of each entry's chunk."""
    run = run_facts(ctx)
    done = run.get((key, "gathered"))
    if done is None:
        done = run[(key, "gathered")] = {}
    got = done.get(name)
    if got is not None:
        return got
    facts = run[_FACTS]
    kept = ctx.__dict__.get("kept_lists")
    mine = kept.get(_token(key, "gathered")) if kept is not None else None
    if kept is not None and (mine is None or mine[0] is not facts):  # this run's table; the last run's kept
        mine = kept[_token(key, "gathered")] = (facts, {}, *(mine[:2] if mine is not None else (None, {})))
    last = mine[3].get(name) if mine is not None else None
    n = len(facts)
    if last is not None:
        old = mine[2]
        first, after = _same_ends(run, old, facts)
        pairs = [(i, e) for i, e in last if i < first]
        pairs += [(i, parts[i][name]) for i in range(first, n - after) if name in parts[i]]
        pairs += [(i - len(old) + n, e) for i, e in last if i >= len(old) - after]
    else:
        pairs = [(i, part[name]) for i, part in enumerate(parts) if name in part]
    if mine is not None:
        mine[1][name] = pairs
    done[name] = pairs
    return pairs


def _same_ends(run, old: list, new: list) -> tuple:
    """How many chunks at the start, and how many at the end, `new` (this run's chunks' facts)
    shares with `old` (a last run's): once per run for each last run."""
    ends = run.get((_ENDS, id(old)))
    if ends is None:
        n = min(len(old), len(new))
        first = 0
        while first < n and old[first] is new[first]:
            first += 1
        after = 0
        while after < n - first and old[-1 - after] is new[-1 - after]:
            after += 1
        ends = run[(_ENDS, id(old))] = (first, after)
    return ends


def per_chunk_reading(ctx, key, compute) -> list:
    """`compute(i, read)` for every chunk index `i`, in order, where the computation reads chunk
    `i`'s tree and, beyond it, only what `read(fact, *args)` gives: `fact(ctx, *args)`, computed
    once per run (a fact of the whole file: the classes of the file, the values a module-level
    name is bound to). A chunk's result is kept with its tree together with what it read, and
    served again while every fact it read gives the same value again (the same object, or an
    equal one): after an edit, a rule that reads the whole file pays for the chunks the edit
    changed and for those whose reads changed, not for every chunk. `key` as for `per_chunk`."""
    run = run_facts(ctx)
    got = run.get((key, "reading"))
    if got is not None:
        return got
    token = _token(key, "reading")
    facts = run.get(_FACTS)
    if facts is None:
        facts = run[_FACTS] = [c.memo.get("facts") or c.memo.setdefault("facts", {}) for c in ctx.chunks]
    values = _read_values(ctx, run)
    out = run[(key, "reading")] = []
    for i, chunk_facts in enumerate(facts):
        kept = chunk_facts.get(token)
        if kept is not None:
            for (fact, args), v in kept[1]:
                now = values.get((fact, args), _ABSENT)
                if now is _ABSENT:
                    now = values[(fact, args)] = fact(ctx, *args)
                if now is not v and not _same(now, v):
                    break
            else:
                out.append(kept[0])
                continue
        reads: dict = {}

        def read(fact, *args, _reads=reads):
            v = values.get((fact, args), _ABSENT)
            if v is _ABSENT:
                v = values[(fact, args)] = fact(ctx, *args)
            _reads[(fact, args)] = v
            return v

        result = compute(i, read)
        chunk_facts[token] = (result, tuple(reads.items()))
        out.append(result)
    return out


def run_fact(ctx, fact, *args):
    """`fact(ctx, *args)`, once per run: the value `per_chunk_reading`'s `read` gives."""
    values = _read_values(ctx, run_facts(ctx))
    v = values.get((fact, args), _ABSENT)
    if v is _ABSENT:
        v = values[(fact, args)] = fact(ctx, *args)
    return v


def _read_values(ctx, run) -> dict:
    values = run.get(_READS)
    if values is None:
        values = run[_READS] = {}
    return values


def _same(a, b) -> bool:
    if a is b:
        return True
    try:
        return bool(a == b)
    except Exception:  # a value that cannot be compared: count it changed
        return False


_ABSENT = object()
_FACTS = object()  # the run's key for the list of every chunk's facts
_ENDS = object()  # the run's key for what it shares with a last run (`_same_ends`)
_READS = object()  # the run's key for the facts `per_chunk_reading`'s computations read
_TOKENS: dict = {}  # (key, what) -> the object each chunk's facts are filed under


def node_memo(ctx, key, compute):
    """A function that gives `compute(node)` for the nodes of this run's trees, where `compute`
    reads the node's own subtree alone: each answer kept from run to run of a document (the
    language server's), so that after an edit the nodes of chunks it did not change are not
    computed again. What is kept from one run to the next: the nodes the last run asked about,
    each held with its answer (an id is trusted only with its node). `key` as for `per_chunk`."""
    run = run_facts(ctx)
    got = run.get((key, "node memo"))
    if got is not None:
        return got
    token = _token(key, "node memo")
    kept = ctx.__dict__.get("kept_lists")
    last = kept.get(token, {}) if kept is not None else {}
    now: dict = {}
    if kept is not None:
        kept[token] = now

    def answer(node):
        hit = now.get(id(node))
        if hit is None:
            hit = last.get(id(node))
            if hit is None or hit[0] is not node:
                hit = (node, compute(node))
            now[id(node)] = hit
        return hit[1]

    run[(key, "node memo")] = answer
    return answer


def _token(key, what) -> object:
    """The object each chunk's (or the document's) facts for `key` are filed under."""
    token = _TOKENS.get((key, what))
    if token is None:
        token = _TOKENS[(key, what)] = object()
    return token


def run_facts(ctx) -> dict:
    """What was gathered from the chunks in this run (the chunks of a run do not change)."""
    run = ctx.__dict__.get("_tl_run_facts")
    if run is None or run[0] is not ctx.chunks:
        run = ctx.__dict__["_tl_run_facts"] = (ctx.chunks, {})
    return run[1]
