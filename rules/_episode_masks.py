"""TL457's second form: a backward loop over a rollout's time steps that masks the bootstrapped
value at the episode's end but not the recursive term (`R[t + 1]`, a running `gae`)."""
from __future__ import annotations

import libcst as cst

from tensorlint.cstwalk import statements_of
from tensorlint.dataflow import descendants

from ._episodes import SCOPES, bindings, name_of, names_in, of_flags, scope_of, step_unpacks


def unmasked_recursions(trees, p):
    """(recursive term, target, mask) of each step of a backward loop over the time steps that
    computes `R[t]` (or a running `g`) from `R[t + 1]` (or `g`) and masks a bootstrapped value
    of the same computation by a terminal mask (`1 - dones[t + 1]`, `dones` stored from
    `env.step`'s flags) but leaves the recursive term unmasked."""
    stored = None
    for tree in trees:
        for loop in statements_of(tree, (cst.For,)):
            t = name_of(loop.target)
            if t is None or not _backward_range(loop.iter):
                continue
            if stored is None:
                stored = _stored_flags(p, trees)
                if not stored[0] and not stored[1]:
                    return
            masks = _mask_names(loop, *stored)
            for stmt in statements_of(loop, (cst.Assign,)):
                if len(stmt.targets) != 1 or scope_of(p, stmt) is not scope_of(p, loop):
                    continue
                term, target = _recursive_term(stmt, t)
                if term is None or isinstance(term, cst.Name) and bindings(loop.body, term.value) != 1:
                    continue
                mask = _mask_in(stmt.value, masks, stored[0]) \
                    or _mask_through(loop, stmt.value, masks, stored[0], name_of(term))
                if mask is not None and not _masked(p, term, stmt.value, masks, stored[0]):
                    yield term, target, mask


def _backward_range(it) -> bool:
    """`reversed(range(...))` or `range(n - 1, -1, -1)`."""
    if isinstance(it, cst.Call) and name_of(it.func) == "reversed" and len(it.args) == 1:
        inner = it.args[0].value
        return isinstance(inner, cst.Call) and name_of(inner.func) == "range"
    if isinstance(it, cst.Call) and name_of(it.func) == "range" and len(it.args) == 3:
        step = it.args[2].value
        return isinstance(step, cst.UnaryOperation) and isinstance(step.operator, cst.Minus) \
            and isinstance(step.expression, cst.Integer)
    return False


def _array_name(n) -> str | None:
    """`dones` of `dones`, `self.dones`, `buffer.dones`."""
    if isinstance(n, cst.Name):
        return n.value
    if isinstance(n, cst.Attribute):
        return n.attr.value
    return None


def _stored_flags(p, trees):
    """(names of the arrays the step loops store terminal flags or masks in, the flag names)."""
    arrays, names = set(), set()
    for _, loop, _, flags in step_unpacks(p, trees):
        names |= flags
        for n in descendants(loop, prune=SCOPES):
            if isinstance(n, cst.Assign) and len(n.targets) == 1 and isinstance(n.targets[0].target, cst.Subscript) \
                    and of_flags(n.value, flags):
                arrays.add(_array_name(n.targets[0].target.value))
            elif isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute) and n.func.attr.value == "append" \
                    and len(n.args) == 1 and of_flags(n.args[0].value, flags):
                arrays.add(_array_name(n.func.value))
    arrays.discard(None)
    return arrays, names


def _mask_names(loop, arrays: set, flags: set) -> set:
    """Names the loop binds to `number - flag` or `number - stored[...]`."""
    out = set()
    for stmt in statements_of(loop, (cst.Assign,)):
        v = stmt.value
        t = name_of(stmt.targets[0].target) if len(stmt.targets) == 1 else None
        if t is None or not (isinstance(v, cst.BinaryOperation) and isinstance(v.operator, cst.Subtract)
                             and isinstance(v.left, (cst.Integer, cst.Float))):
            continue
        right = v.right
        if name_of(right) in flags or isinstance(right, cst.Subscript) and _array_name(right.value) in arrays:
            out.add(t)
    grew = bool(out)
    while grew:  # products of a mask are masks (`c = lam * nextnonterminal`)
        grew = False
        for stmt in statements_of(loop, (cst.Assign,)):
            t = name_of(stmt.targets[0].target) if len(stmt.targets) == 1 else None
            if t is not None and t not in out and _product_of_mask(stmt.value, out, arrays):
                out.add(t)
                grew = True
    return out


def _product_of_mask(value, masks: set, arrays: set) -> bool:
    if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Multiply):
        return _product_of_mask(value.left, masks, arrays) or _product_of_mask(value.right, masks, arrays)
    return _is_mask(value, masks, arrays)


def _is_mask(n, masks: set, arrays: set) -> bool:
    return name_of(n) in masks or isinstance(n, cst.Subscript) and _array_name(n.value) in arrays


def _mask_in(value, masks: set, arrays: set) -> str | None:
    for n in [value, *descendants(value)]:
        if _is_mask(n, masks, arrays):
            return name_of(n) or _array_name(n.value)
    return None


def _mask_through(loop, value, masks: set, arrays: set, running) -> str | None:
    """A mask in the value of a name (other than the running one) the loop binds and `value`
    reads (`delta` of GAE)."""
    read = names_in(value) - {running}
    for stmt in statements_of(loop, (cst.Assign,)):
        t = name_of(stmt.targets[0].target) if len(stmt.targets) == 1 else None
        if t in read and t not in masks:
            found = _mask_in(stmt.value, masks, arrays)
            if found is not None:
                return found
    return None


def _recursive_term(stmt, t: str):
    """(the term of `stmt`'s value that reads what the loop's next pass computed, the target's
    text): `R[t + 1]` for `R[t] = ...`, the name itself for `g = ...`."""
    target = stmt.targets[0].target
    if isinstance(target, cst.Subscript) and len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index) \
            and name_of(target.slice[0].slice.value) == t:
        base = _array_name(target.value)
        for n in descendants(stmt.value):
            if isinstance(n, cst.Subscript) and _array_name(n.value) == base and len(n.slice) == 1 \
                    and isinstance(n.slice[0].slice, cst.Index) and _is_next(n.slice[0].slice.value, t):
                return n, f"{base}[{t}]"
        return None, None
    g = name_of(target)
    if g is not None:
        for n in descendants(stmt.value):
            if name_of(n) == g:
                return n, g
    return None, None


def _is_next(index, t: str) -> bool:
    return isinstance(index, cst.BinaryOperation) and isinstance(index.operator, cst.Add) \
        and name_of(index.left) == t and isinstance(index.right, cst.Integer) and index.right.value == "1"


def _masked(p, term, value, masks: set, arrays: set) -> bool:
    """Whether a product on the way from `term` up to `value` has a mask on its other side (or the
    term sits in a call, a condition or a comparison, which this check does not read)."""
    node = term
    while node is not value:
        up = p.parent.get(node)
        if up is None:
            return True
        if isinstance(up, cst.BinaryOperation) and isinstance(up.operator, cst.Multiply):
            other = up.right if up.left is node else up.left
            if _mask_in(other, masks, arrays) is not None:
                return True
        elif not isinstance(up, (cst.BinaryOperation, cst.UnaryOperation)):
            return True
        node = up
    return False
