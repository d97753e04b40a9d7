"""The syntax TL428 (split-built-like-another) compares data sets by, read once per chunk tree:
each scope's bindings (`name = expression` with the names it reads), the calls that give a data
set a role (`fit`'s data and `validation_data`, `evaluate`, `predict`), and the steps that make
one data set from another without changing which examples it holds."""
import libcst as cst

from tensorlint.cstwalk import statements
from tensorlint.dataflow import descendants, store_names
from tensorlint.syntax import dotted

from ._data_order import ORDER_METHODS, order_only_params

# calls whose result differs from call to call on the same arguments: each one consumes or draws
# new data, so two of them spelled alike need not return the same rows
_CONSUMING = frozenset({"next", "__next__", "get_next", "next_batch", "pop", "popleft", "read", "readline",
                        "readlines", "send", "sample", "choice", "choices", "permutation", "randint", "rand", "randn"})
_TRAIN_METHODS = frozenset({"fit", "fit_generator"})
_TEST_METHODS = frozenset({"evaluate", "evaluate_generator"})
_PREDICT_METHODS = frozenset({"predict", "predict_generator"})
# tf.data steps that keep a data set's examples (reordered, grouped, transformed one by one): a set
# made from another by these alone holds that other's examples
_KEEPING_METHODS = ORDER_METHODS | {"map"}

def kept_source(expr, keeping):
    """The name `expr` makes a data set from by steps that keep its examples: `ds.map(f).batch(32)`,
    `crop(ds)` with `crop` a function of the file that does only that to its first argument."""
    while isinstance(expr, cst.Call):
        func = expr.func
        if isinstance(func, cst.Attribute) and func.attr.value in _KEEPING_METHODS:
            expr = func.value
        elif isinstance(func, cst.Name) and func.value in keeping and expr.args and expr.args[0].keyword is None \
                and not expr.args[0].star:
            expr = expr.args[0].value
        else:
            return None
    return expr.value if isinstance(expr, cst.Name) else None


def _keeps_examples(func) -> bool:
    """Whether `func` returns its first parameter transformed by example-keeping steps alone
    (`return ds.map(f)`, `ds = ds.batch(n)` before `return ds`, such steps under an `if`)."""
    params = func.params.params
    if not params or not isinstance(func.body, cst.IndentedBlock):
        return False
    held = {params[0].name.value}
    *body, last = func.body.body
    if not (isinstance(last, cst.SimpleStatementLine) and len(last.body) == 1 and isinstance(last.body[0], cst.Return)):
        return False
    value = last.body[0].value
    return _simple_steps(body, held) and value is not None and (_kept(value, held) or isinstance(value, cst.Name) and value.value in held)


def _kept(value, held: set) -> bool:
    return kept_source(value, frozenset()) in held and isinstance(value, cst.Call)


def _simple_steps(lines, held: set) -> bool:
    """Whether these lines only rebind a held name to an example-keeping step of it (adding the
    names they bind to `held`). A module-level function: a closure calling itself is a reference
    cycle, freed by the garbage collector only."""
    for line in lines:
        if isinstance(line, cst.If) and line.orelse is None and isinstance(line.body, cst.IndentedBlock):
            if not _simple_steps(line.body.body, held):
                return False
            continue
        if not isinstance(line, cst.SimpleStatementLine):
            return False
        for small in line.body:
            if isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString)):
                continue
            if isinstance(small, cst.Assign) and len(small.targets) == 1 \
                    and isinstance(small.targets[0].target, cst.Name) and _kept(small.value, held):
                held.add(small.targets[0].target.value)
                continue
            return False
    return True


def scope_records(module) -> list:
    """(scope, records) for the module and every function of one chunk. A record is
    ("store", name, statement, expression | None, names the expression reads),
    ("use", role, name, receiver text, call) or ("global", names), in source order; the
    expression is kept only for a plain `name = expression` at the scope's own level that
    builds data (a call, subscript or attribute) from names and draws nothing new per call."""
    out = [("module", _records(module.body))]
    defs = {}
    for stmt in statements(module):
        if isinstance(stmt, cst.FunctionDef):
            if isinstance(stmt.body, cst.IndentedBlock):
                out.append((id(stmt), _records(stmt.body.body)))
            name = stmt.name.value
            defs[name] = None if name in defs else (*_callees(stmt), order_only_params(stmt), _keeps_examples(stmt))
    return out, defs


def _callees(func) -> tuple:
    """The names `func` calls or mentions, and whether it draws new data itself."""
    names, draws = set(), False
    for n in descendants(func):
        kind = type(n)  # exact types (no subclasses): libcst's classes are ABCs, slow under isinstance
        if kind is cst.Name:
            names.add(n.value)
        elif kind is cst.Yield or kind is cst.Call and _draws(n):
            draws = True
    return frozenset(names), draws


def _records(body) -> list:
    records = []
    for top in body:
        smalls = top.body if isinstance(top, cst.SimpleStatementLine) else [top]
        for stmt in smalls:
            if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                records.append(("store", stmt.name.value, stmt, None, ()))
                continue
            for call in _calls(stmt):
                records.extend(_uses(call))
            if isinstance(top, cst.SimpleStatementLine):
                records.extend(_stores(stmt, True))
                continue
            for inner in [stmt, *statements(stmt, nested=False)]:  # a compound statement: its stores, none plain
                records.extend(_stores(inner, False))
    return records


def _calls(stmt):
    if isinstance(stmt, (cst.Expr, cst.Assign)):
        value = stmt.value
        yield from (n for n in [value, *descendants(value)] if isinstance(n, cst.Call))


def _uses(call):
    func = call.func
    if not isinstance(func, cst.Attribute):
        return
    method, receiver = func.attr.value, dotted(func.value)
    if method in _TRAIN_METHODS:
        roles = (("train", _arg(call, 0, "x")), ("valid", _kwarg(call, "validation_data")))
    elif method in _TEST_METHODS:
        roles = (("test", _arg(call, 0, "x")),)
    elif method in _PREDICT_METHODS:
        roles = (("predict", _arg(call, 0, "x")),)
    else:
        return
    for role, value in roles:
        if isinstance(value, (cst.Tuple, cst.List)) and value.elements:
            value = value.elements[0].value  # (x, y): the inputs
        if isinstance(value, cst.Name) and receiver:
            yield ("use", role, value.value, receiver, call)
        elif isinstance(value, cst.Call) and receiver:  # `validation_data=crop(valid_set)`: resolved in check()
            yield ("use", role, value, receiver, call)


def _arg(call, i, name):
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if len(positional) > i:
        return positional[i].value
    return _kwarg(call, name)


def _kwarg(call, name):
    for a in call.args:
        if a.keyword is not None and a.keyword.value == name:
            return a.value
    return None


def _stores(stmt, plain_level: bool):
    if isinstance(stmt, cst.Global):
        yield ("global", tuple(n.name.value for n in stmt.names))
        return
    targets = []
    if isinstance(stmt, cst.Expr) and isinstance(stmt.value, cst.Call):
        for name in _maybe_mutated(stmt.value):
            yield ("store", name, stmt, None, ())
        return
    if isinstance(stmt, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
        for t in stmt.targets if isinstance(stmt, cst.Assign) else [stmt.target]:
            for part in [t.target if isinstance(t, cst.AssignTarget) else t]:
                base = part
                while isinstance(base, (cst.Attribute, cst.Subscript)):
                    base = base.value
                if base is not part and isinstance(base, cst.Name):  # x[i] = v, x.attr = v: x changed in place
                    yield ("store", base.value, stmt, None, ())
    if isinstance(stmt, cst.Assign):
        if (plain_level and len(stmt.targets) == 1 and isinstance(stmt.targets[0].target, cst.Name)
                and _builds_data(stmt.value)):
            name = stmt.targets[0].target.value
            yield ("store", name, stmt, stmt.value, _reads(stmt.value))
            return
        targets = [t.target for t in stmt.targets]
    elif isinstance(stmt, (cst.AugAssign, cst.AnnAssign, cst.For)):
        targets = [stmt.target]
    elif isinstance(stmt, cst.With):
        targets = [item.asname.name for item in stmt.items if item.asname is not None]
    elif isinstance(stmt, (cst.Import, cst.ImportFrom)) and not isinstance(stmt.names, cst.ImportStar):
        targets = [a.asname.name if a.asname is not None else a.name for a in stmt.names]
        targets = [cst.Name(dotted(t).partition(".")[0]) if isinstance(t, cst.Attribute) else t for t in targets]
    elif isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
        targets = [stmt.name]
    elif isinstance(stmt, cst.Del):
        targets = [stmt.target]
    for t in targets:
        for name in store_names(t):
            yield ("store", name, stmt, None, ())
    if isinstance(stmt, (cst.Assign, cst.AugAssign, cst.AnnAssign)) and stmt.value is not None:
        for n in descendants(stmt.value):
            if isinstance(n, cst.NamedExpr) and isinstance(n.target, cst.Name):
                yield ("store", n.target.value, stmt, None, ())


_READING_CALLS = frozenset({"print", "display", "len", "type", "isinstance", "repr", "str", "id", "show"})
_READING_METHODS = frozenset({"take", "head", "tail", "describe", "info", "summary", "cardinality", "numpy", "count",
                              "fit", "fit_generator", "evaluate", "evaluate_generator", "predict", "compile", "save",
                              "save_weights", "plot", "show", "savefig", "imshow", "hist", "scatter", "title",
                              "xlabel", "ylabel", "legend", "element_spec", "reset_states"})


def _maybe_mutated(call):
    """The names a call made for its effect may change in place: its receiver and its arguments,
    unless the callee only reads them (print, a plot, fit, take, ...)."""
    callee = dotted(call.func)
    head, _, _ = callee.partition(".")
    last = callee.rpartition(".")[2]
    if callee in _READING_CALLS or head in ("plt", "matplotlib", "sns", "logging", "tf") or last in _READING_METHODS:
        return
    if isinstance(call.func, cst.Attribute) and isinstance(call.func.value, cst.Name):
        yield call.func.value.value
    for a in call.args:
        if isinstance(a.value, cst.Name):
            yield a.value.value


def _builds_data(value) -> bool:
    if not isinstance(value, (cst.Call, cst.Subscript, cst.Attribute)):
        return False
    for n in [value, *descendants(value)]:
        if isinstance(n, (cst.Lambda, cst.GeneratorExp, cst.ListComp, cst.SetComp, cst.DictComp, cst.NamedExpr,
                          cst.Yield, cst.Await)):
            return False
        if isinstance(n, cst.Call) and _draws(n):
            return False
    return True


def _draws(call) -> bool:
    callee = dotted(call.func)
    last = callee.rpartition(".")[2]
    return not callee or last in _CONSUMING or "random" in callee.split(".")


def _reads(value) -> frozenset:
    skip = {id(n.attr) for n in [value, *descendants(value)] if isinstance(n, cst.Attribute)}
    skip |= {id(a.keyword) for n in [value, *descendants(value)] if isinstance(n, cst.Call)
             for a in n.args if a.keyword is not None}
    return frozenset(n.value for n in [value, *descendants(value)] if isinstance(n, cst.Name) and id(n) not in skip)
