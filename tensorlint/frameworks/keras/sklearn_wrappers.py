"""Keras models wrapped for scikit-learn: `KerasClassifier(build_fn, **sk_params)` and
`KerasRegressor`, fitted themselves or through `GridSearchCV` / `RandomizedSearchCV` /
`cross_val_score`. Fitting one does what the wrapper does: it calls the build function with
the parameters the function names, from the wrapper's keywords and, for a search, from the
grid, then fits the model it returns on the data with the wrapper's fit keywords. A search
builds a model for every combination of the grid's candidates, so the function runs once per
combination (candidates written as literals or as a list of literals bound to a name); a grid
with more combinations than `_MAX_RUNS` leaves its parameters of several candidates unknown and
runs once. A search whose grid the program does not write out as a dict may set any parameter:
its build function is not run."""
from __future__ import annotations

import ast
import itertools
from dataclasses import dataclass, field

import libcst as cst

from ...values import UNKNOWN, Const, Container, Func, Instance, Seq, Tensor, Value, exact_items
from ..registry import CALLS, OBJECT_METHODS

# the keywords of Keras' `fit` a wrapper passes on from its own parameters
_FIT_KEYWORDS = frozenset({"batch_size", "epochs", "nb_epoch", "verbose", "callbacks", "validation_split",
                           "validation_data", "shuffle", "class_weight", "sample_weight", "initial_epoch",
                           "steps_per_epoch"})
_MODULE = cst.Module(body=[])
# the most models a search is followed through (combinations of the grid's candidates)
_MAX_RUNS = 8


@dataclass(eq=False)
class SkWrapper(Value):
    build: Value  # the build function
    params: dict  # the wrapper's keywords (sk_params)
    classifier: bool
    node: cst.CSTNode | None = field(default=None, repr=False)


@dataclass(eq=False)
class SkSearch(Value):
    estimator: Value
    grid: dict | None  # parameter -> a tuple of its candidates, or UNKNOWN where they are not known; None: unread
    draws: int | None = None  # a randomized search's number of draws (None: a grid search builds every combination)
    node: cst.CSTNode | None = field(default=None, repr=False)


def _wrapper(classifier: bool):
    def fn(call):
        build = call.arg(0, "build_fn")
        params = {k: v for k, v in call.kwargs.items() if k != "build_fn"}
        return SkWrapper(build, params, classifier, call.node)
    return fn


def _plain(value) -> Value:
    """A candidate as a value: a number, string, bool or None, or a list/tuple of those; else unknown."""
    if value is None or isinstance(value, (int, float, str)):
        return Const(value)
    if isinstance(value, (list, tuple)) and all(v is None or isinstance(v, (int, float, str)) for v in value):
        return Seq("list" if isinstance(value, list) else "tuple", tuple(Const(v) for v in value))
    return UNKNOWN


def _literal(node):
    """A candidate written as a literal (`32`, `'relu'`, `[32, 32]`); anything else is unknown."""
    try:
        value = ast.literal_eval(_MODULE.code_for_node(node).strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return UNKNOWN
    return _plain(value)


def _known(v: Value) -> bool:
    """A candidate the program gives as a known value: a constant, or a sequence of constants."""
    items = exact_items(v)
    if items is not None:
        return all(isinstance(i, Const) for i in items)
    return isinstance(v, Const) and (v.value is None or isinstance(v.value, (int, float, str)))


def _candidates(node, frame):
    """A grid entry's candidates as a tuple of values, or UNKNOWN: a literal list or tuple, or a
    name bound to a list or tuple whose items are known."""
    if isinstance(node, (cst.List, cst.Tuple)) and node.elements \
            and all(isinstance(el, cst.Element) for el in node.elements):
        found = tuple(_literal(el.value) for el in node.elements)
        return UNKNOWN if any(v is UNKNOWN for v in found) else found
    if isinstance(node, cst.Name) and frame is not None:
        items = exact_items(frame.lookup(node.value))
        if items and all(_known(v) for v in items):
            return tuple(items)
    return UNKNOWN


def _grid(node, frame=None) -> dict | None:
    """`{'epochs': [10], 'units': [32, 64]}` or `dict(epochs=[10], ...)` written in the call."""
    if isinstance(node, cst.Dict):
        grid = {}
        for el in node.elements:
            if not isinstance(el, cst.DictElement) or not isinstance(el.key, cst.SimpleString):
                return None
            grid[el.key.evaluated_value] = _candidates(el.value, frame)
        return grid
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "dict":
        if any(a.keyword is None for a in node.args):
            return None
        return {a.keyword.value: _candidates(a.value, frame) for a in node.args}
    return None


def _settings(grid: dict | None, draws: int | None = None) -> list[dict]:
    """The parameter values of each model a search builds: one dict per combination of the
    grid's candidates, or a single dict (several candidates unknown) past `_MAX_RUNS`. A
    randomized search builds every combination only when each parameter has a list of
    candidates (sampled without replacement) and it draws at least as many as there are."""
    if not grid:
        return [{}]
    names = sorted(grid)
    choices = [grid[n] if isinstance(grid[n], tuple) else (UNKNOWN,) for n in names]
    runs = 1
    for c in choices:
        runs *= len(c)
    every = draws is None or (draws >= runs and all(isinstance(grid[n], tuple) for n in names))
    if runs > _MAX_RUNS or not every:
        choices = [c if len(c) == 1 else (UNKNOWN,) for c in choices]
    return [dict(zip(names, combo)) for combo in itertools.product(*choices)]


def _search(randomized: bool):
    def fn(call):
        grid = _grid(call.arg_node(1, "param_grid") or call.arg_node(None, "param_distributions"), call.frame)
        draws = None
        if randomized:
            n = call.const(None, "n_iter", 10)
            draws = n if isinstance(n, int) and not isinstance(n, bool) else 0
        return SkSearch(call.arg(0, "estimator"), grid, draws=draws, node=call.node)
    return fn


def _parameters(func: Func) -> set | None:
    node = func.node
    if not isinstance(node, (cst.FunctionDef, cst.Lambda)):
        return None
    params = node.params
    if params.star_kwarg is not None:
        return None  # takes any keyword: which of the wrapper's it reads is not known
    return {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}


def fit_wrapped(call, estimator, grid: dict | None, x, y, draws: int | None = None) -> None:
    """Build the wrapped model as the wrapper does and fit it on `x`, `y`: once, or once per
    combination of a search's candidates."""
    if not isinstance(estimator, SkWrapper) or not isinstance(estimator.build, Func) or x is None:
        return
    names = _parameters(estimator.build)
    if names is None:
        return
    for setting in _settings(grid, draws):
        given = dict(estimator.params)
        given.update(setting)
        _build_and_fit(call, estimator, names, given, x, y)


def _build_and_fit(call, estimator, names, given, x, y) -> None:
    model = call.interp.call(estimator.build, call.with_args([], {k: v for k, v in given.items() if k in names}))
    if not isinstance(model, (Container, Instance)):
        return
    if estimator.classifier and not (isinstance(y, Tensor) and y.rank == 2 and isinstance(y.dim(1), int) and y.dim(1) > 1):
        y = UNKNOWN  # class labels are re-encoded (`np.searchsorted(classes_, y)`, one-hot for a categorical loss)
    fit_kwargs = {k: v for k, v in given.items() if k in _FIT_KEYWORDS}
    fit_kwargs.update({k: v for k, v in call.kwargs.items() if k in _FIT_KEYWORDS})
    from ..models import container_method

    container_method(call.with_args([x] if y is UNKNOWN else [x, y], fit_kwargs), model, "fit")


def _wrapper_fit(call, wrapper):
    fit_wrapped(call, wrapper, None, call.arg(0, "x", call.arg(0, "X")), call.arg(1, "y"))
    return UNKNOWN


def _search_fit(call, search):
    if search.grid is not None:
        fit_wrapped(call, search.estimator, search.grid, call.arg(0, "X"), call.arg(1, "y"), search.draws)
    return UNKNOWN


def _cross_validated(call):
    estimator = call.arg(0, "estimator")
    x, y = call.arg(1, "X"), call.arg(2, "y")
    if isinstance(estimator, SkSearch):
        if estimator.grid is not None:
            fit_wrapped(call.with_args([], {}), estimator.estimator, estimator.grid, x, y, estimator.draws)
    else:
        fit_wrapped(call.with_args([], {}), estimator, None, x, y)
    return UNKNOWN


for _ns in ("keras.wrappers.scikit_learn.", "keras.wrappers."):
    CALLS[_ns + "KerasClassifier"] = _wrapper(True)
    CALLS[_ns + "KerasRegressor"] = _wrapper(False)
for _name in ("GridSearchCV", "RandomizedSearchCV"):
    CALLS["sklearn.model_selection." + _name] = _search(_name == "RandomizedSearchCV")
    CALLS["sklearn.grid_search." + _name] = _search(_name == "RandomizedSearchCV")
for _name in ("cross_val_score", "cross_val_predict", "cross_validate"):
    CALLS["sklearn.model_selection." + _name] = _cross_validated
    CALLS["sklearn.cross_validation." + _name] = _cross_validated
OBJECT_METHODS[("SkWrapper", "fit")] = _wrapper_fit
OBJECT_METHODS[("SkSearch", "fit")] = _search_fit
