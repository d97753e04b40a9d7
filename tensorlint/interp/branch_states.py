"""What the two branches of an `if` leave in the models and lists built before it: the states
before the branches, and their join after them."""
from __future__ import annotations

from ..values import UNKNOWN, Container, MutableList


def bound_of_type(env: dict, own: dict | None, kind: type) -> list:
    """Every value of exactly `kind` bound to a name or to an attribute of `self`, once each."""
    kinds = set(map(type, env.values()))  # (a pass in C: most branches see no model nor list at all)
    if own:
        kinds.update(map(type, own.values()))
    if kind not in kinds:
        return []
    seen, out = set(), []
    for v in [*env.values(), *(own or {}).values()]:
        if type(v) is kind and id(v) not in seen:
            seen.add(id(v))
            out.append(v)
    return out


def built_models(env: dict, own: dict | None) -> list:
    """The models a branch may build further (`model.add(...)`): every model bound to a name or
    to an attribute of `self`, with its layers and declared input before the branch."""
    return [(v, list(v.layers), v.input_shape) for v in bound_of_type(env, own, Container)]


def built_lists(env: dict, own: dict | None) -> list:
    """The lists a branch may append to (`modules.append(...)`): every list bound to a name or to
    an attribute of `self`, with its items before the branch."""
    return [(v, (list(v.items), v.exact, v.tail)) for v in bound_of_type(env, own, MutableList)]


def join_list(lst, before, body, returned_body, returned_else) -> None:
    """A list that each branch of an `if` extends its own way (`if depth == 1: modules +=
    [ReLU, Conv(16, 32)] elif depth == 2: ...`) holds one branch's items or the other's, never
    both in a row: the items before the `if` stay, and the rest is not known. A list only one
    branch appends to keeps that branch's items, as before."""
    else_state = (list(lst.items), lst.exact, lst.tail)
    if returned_body and not returned_else or same_items(body[0], before[0]):
        return  # the else branch's state stands
    if returned_else and not returned_body or same_items(else_state[0], before[0]):
        lst.items[:], lst.exact, lst.tail = body
        return
    if same_items(body[0], else_state[0]):
        return
    lst.items[:], lst.exact, lst.tail = before[0] + [UNKNOWN], False, 0


def same_items(a: list, b: list) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b))


def join_layers(model, layers, shape, body_layers, body_shape, returned_body, returned_else) -> None:
    """A model that each branch of an `if` builds its own way (`if channels_first: add(A) else:
    add(B)`) has one branch's layers or the other's, never both in a row: the layers the branches
    agree on stay, an unknown layer stands for the rest. A branch that returned leaves nothing; a
    model only one branch adds to keeps that branch's layers, as before."""
    else_layers, else_shape = list(model.layers), model.input_shape
    if returned_body and not returned_else or same_items(body_layers, layers):
        return  # the else branch's state stands
    if returned_else and not returned_body or same_items(else_layers, layers):
        model.layers[:], model.input_shape = body_layers, body_shape
        return
    model.layers[:] = layers + [UNKNOWN]
    model.input_shape = body_shape if body_shape == else_shape else shape

