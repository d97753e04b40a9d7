"""The train ops of a TF1 graph, hooked where the program builds them: what each
`optimizer.minimize(loss)` trains (which trainable variables get no gradient, whether the loss is
a scalar), and which variables the program updates itself with `apply_gradients` on gradients it
computed, so that a `minimize()` without `var_list` that moves those too can be told (session.py)."""
from __future__ import annotations

from .tf1 import differentiating, made_at, user_line


def hook_minimize(driver) -> None:
    """`optimizer.minimize(loss)`: which trainable variables get no gradient, is the loss a scalar;
    `apply_gradients`: which variables are trained, and which the program updates itself."""
    v1 = driver.tf.compat.v1
    optimizer = v1.train.Optimizer
    original = optimizer.minimize
    if getattr(original, "_tensorlint", False):
        return
    inside = []  # the minimize() calls under way: their own apply_gradients is not the program's

    def minimize(self, loss, global_step=None, var_list=None, *args, **kwargs):
        inside.append(True)
        try:
            op = differentiating(driver, lambda: original(self, loss, global_step, var_list, *args, **kwargs), loss)
        finally:
            inside.pop()
        try:
            variables = list(var_list) if var_list is not None else v1.trainable_variables()
            grads = differentiating(driver, lambda: v1.gradients(loss, variables), loss)
            line = user_line(driver.path)
            driver.tf1_steps[id(op)] = {
                "line": line, "loss_line": made_at(loss, driver.path), "loss": loss, "variables": variables, "grads": grads,
                "no_grad": [v.name for v, g in zip(variables, grads) if g is None], "every_variable": var_list is None,
            }
        except Exception:  # noqa: BLE001 - the program's own minimize() already succeeded
            pass
        return op

    minimize._tensorlint = True
    optimizer.minimize = minimize
    applied = optimizer.apply_gradients

    def apply_gradients(self, grads_and_vars, *args, **kwargs):
        pairs = list(grads_and_vars)
        try:  # what it updates is trained, whether by minimize() or by the program's own gradients
            updated = {(id(v.graph), v.name) for g, v in pairs if g is not None}
            driver.tf1_applied.update(updated)
            if not inside:
                line = user_line(driver.path)
                for key in updated:
                    driver.tf1_own_updates.setdefault(key, line)
        except Exception:  # noqa: BLE001
            pass
        return applied(self, pairs, *args, **kwargs)

    optimizer.apply_gradients = apply_gradients
    computed = optimizer.compute_gradients

    def compute_gradients(self, loss, *args, **kwargs):
        return differentiating(driver, lambda: computed(self, loss, *args, **kwargs), loss)

    optimizer.compute_gradients = compute_gradients


def updated_elsewhere(driver, step: dict) -> dict | None:
    """For a `minimize()` without `var_list`: the variables its loss reaches (a gradient that is
    not None) that an `apply_gradients` of the program, outside any minimize(), also updates, with
    the lines of those calls; None when there are none."""
    if not step.get("every_variable"):
        return None
    graph = id(step["loss"].graph)
    shared = [(v.name, driver.tf1_own_updates[(graph, v.name)]) for v, g in zip(step["variables"], step["grads"])
              if g is not None and (graph, v.name) in driver.tf1_own_updates]
    if not shared:
        return None
    return {"variables": [n for n, _ in shared][:5], "count": len(shared),
            "lines": sorted({ln for _, ln in shared if ln is not None})}
