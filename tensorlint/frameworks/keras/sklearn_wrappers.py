"""Keras models wrapped for scikit-learn: `KerasClassifier(build_fn, **sk_params)` and
`KerasRegressor`, fitted themselves or through `GridSearchCV` / `RandomizedSearchCV` /
`cross_val_score`. Fitting one does what the wrapper does: it calls the build function with
the parameters the function names, from the wrapper's keywords and, for a search, from the
grid where the grid gives a parameter one value (several values leave it unknown), then fits
the model it returns on the data with the wrapper's fit keywords. A search whose grid the
program does not write out as a literal may set any parameter: its build function is not run."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field

import libcst as cst

from ...values import UNKNOWN, Const, Container, Func, Instance, Tensor, Value
from ..registry import CALLS, OBJECT_METHODS

# the keywords of Keras' `fit` a wrapper passes on from its own parameters
_FIT_KEYWORDS = frozenset({"batch_size", "epochs", "nb_epoch", "verbose", "callbacks", "validation_split",
                           "validation_data", "shuffle", "class_weight", "sample_weight", "initial_epoch",
                           "steps_per_epoch"})
_MODULE = cst.Module(body=[])


@dataclass(eq=False)
class SkWrapper(Value):
    build: Value  # the build function
    params: dict  # the wrapper's keywords (sk_params)
    classifier: bool
    node: cst.CSTNode | None = field(default=None, repr=False)


@dataclass(eq=False)
class SkSearch(Value):
    estimator: Value
    grid: dict | None  # parameter -> its one value, or UNKNOWN where the grid gives several; None: unread
    node: cst.CSTNode | None = field(default=None, repr=False)


def _wrapper(classifier: bool):
    def fn(call):
        build = call.arg(0, "build_fn")
        params = {k: v for k, v in call.kwargs.items() if k != "build_fn"}
        return SkWrapper(build, params, classifier, call.node)
    return fn


def _literal(node):
    """A number, string, bool or None written as a literal; anything else is unknown."""
    try:
        value = ast.literal_eval(_MODULE.code_for_node(node).strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return UNKNOWN
    return Const(value) if value is None or isinstance(value, (int, float, str)) else UNKNOWN


def _candidates(node):
    """A grid entry's value: its one candidate, or UNKNOWN (several, or not a literal list)."""
    if isinstance(node, (cst.List, cst.Tuple)) and len(node.elements) == 1 \
            and isinstance(node.elements[0], cst.Element):
        return _literal(node.elements[0].value)
    return UNKNOWN


def _grid(node) -> dict | None:
    """`{'epochs': [10], 'units': [32, 64]}` or `dict(epochs=[10], ...)` written in the call."""
    if isinstance(node, cst.Dict):
        grid = {}
        for el in node.elements:
            if not isinstance(el, cst.DictElement) or not isinstance(el.key, cst.SimpleString):
                return None
            grid[el.key.evaluated_value] = _candidates(el.value)
        return grid
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "dict":
        if any(a.keyword is None for a in node.args):
            return None
        return {a.keyword.value: _candidates(a.value) for a in node.args}
    return None


def _search(call):
    return SkSearch(call.arg(0, "estimator"), _grid(call.arg_node(1, "param_grid") or call.arg_node(None, "param_distributions")),
                    call.node)


def _parameters(func: Func) -> set | None:
    node = func.node
    if not isinstance(node, (cst.FunctionDef, cst.Lambda)):
        return None
    params = node.params
    if params.star_kwarg is not None:
        return None  # takes any keyword: which of the wrapper's it reads is not known
    return {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}


def fit_wrapped(call, estimator, grid: dict | None, x, y) -> None:
    """Build the wrapped model as the wrapper does and fit it on `x`, `y`."""
    if not isinstance(estimator, SkWrapper) or not isinstance(estimator.build, Func) or x is None:
        return
    names = _parameters(estimator.build)
    if names is None:
        return
    given = dict(estimator.params)
    given.update(grid or {})
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
        fit_wrapped(call, search.estimator, search.grid, call.arg(0, "X"), call.arg(1, "y"))
    return UNKNOWN


def _cross_validated(call):
    estimator = call.arg(0, "estimator")
    x, y = call.arg(1, "X"), call.arg(2, "y")
    if isinstance(estimator, SkSearch):
        if estimator.grid is not None:
            fit_wrapped(call.with_args([], {}), estimator.estimator, estimator.grid, x, y)
    else:
        fit_wrapped(call.with_args([], {}), estimator, None, x, y)
    return UNKNOWN


for _ns in ("keras.wrappers.scikit_learn.", "keras.wrappers."):
    CALLS[_ns + "KerasClassifier"] = _wrapper(True)
    CALLS[_ns + "KerasRegressor"] = _wrapper(False)
for _name in ("GridSearchCV", "RandomizedSearchCV"):
    CALLS["sklearn.model_selection." + _name] = _search
    CALLS["sklearn.grid_search." + _name] = _search
for _name in ("cross_val_score", "cross_val_predict", "cross_validate"):
    CALLS["sklearn.model_selection." + _name] = _cross_validated
    CALLS["sklearn.cross_validation." + _name] = _cross_validated
OBJECT_METHODS[("SkWrapper", "fit")] = _wrapper_fit
OBJECT_METHODS[("SkSearch", "fit")] = _search_fit
