"""The training step of a TF1 graph: `sess.run(fetches, feed_dict=...)` run once, and what each
`optimizer.minimize(loss)` of the graph tells (see tf1_train_ops.py)."""
from __future__ import annotations

import math
import re

from .stubs import StubValueError, describe, reaching, stub_in
from .tf1 import dead_ends, discarded_dropouts
from .tf1_train_ops import hook_minimize, updated_elsewhere


# a name a session step fetches or feeds that its graph does not hold
NOT_IN_GRAPH = re.compile(r"not in the graph|does not exist in the graph|refers to a Tensor which does not exist")


class Sessions:
    def start_tf1(self) -> None:
        """Graph mode, and the TF1 facade that the program's `import tensorflow as tf` binds."""
        from .tf1 import build

        self.tf.compat.v1.disable_v2_behavior()
        self.tf1 = build(self)
        hook_minimize(self)
        self.emit("note", message="TF1 graph code: run under tf.compat.v1 in graph mode (tf.layers and "
                                  "tf.contrib.layers and the tf.contrib.rnn cells rebuilt on get_variable)")

    def tf1_project_imports(self, folders: list) -> None:
        """`import tensorflow as tf` in a module of the program's own project (its `ops.py`, beside it
        or under its project's root) binds the TF1 facade too: that module builds the same graph."""
        import builtins
        import os

        original, driver = builtins.__import__, self
        roots = [os.path.abspath(f) + os.sep for f in folders]

        def project_import(name, globals=None, locals=None, fromlist=(), level=0):
            module = original(name, globals, locals, fromlist, level)
            if name != "tensorflow" or fromlist or level or module is not driver.tf or driver.tf1 is None:
                return module
            where = os.path.abspath((globals or {}).get("__file__") or "")
            if where == os.path.abspath(driver.path) or not any(where.startswith(r) for r in roots) \
                    or "site-packages" in where or "dist-packages" in where:
                return module
            driver.note_once(f"tf1-module:{where}", f"`import tensorflow as tf` in {os.path.basename(where)}, a module of "
                             "the program's project, ran under tf.compat.v1 as the program does")
            return driver.tf1

        builtins.__import__ = project_import

    def rebind_tensorflow(self, names, scope) -> None:
        """`import tensorflow as tf` in a TF1 program gives it the facade, not TF2's module."""
        for name in names:
            if self.tf1 is not None and scope.ns.get(name) is self.tf:
                scope.ns[name] = self.tf1

    def is_session(self, obj) -> bool:
        return self.tf is not None and isinstance(obj, self.tf.compat.v1.Session)

    def session_run(self, unit: dict, sess, scope) -> None:
        site = unit["call"]
        record = {"id": self.new_id(), "kind": "forward", "method": "run", "line": unit["line"], "text": site["text"],
                  "model": site["func"]["code"], "model_type": "Session"}
        v1 = self.tf.compat.v1
        fetch_expr = site["args"][0] if site["args"] else site["kwargs"].get("fetches")
        feed_expr = site["args"][1] if len(site["args"]) > 1 else site["kwargs"].get("feed_dict")
        if fetch_expr is None:
            return
        broken = {k: v for k, v in self.tainted(fetch_expr["names"], scope).items() if k in scope.failed}
        if broken:
            name, why = next(iter(broken.items()))
            self.skip_call(unit, scope, f"`{name}` is not available: line {why['line']} {why['reason']}", why)
            return
        try:
            fetches = self.eval_expr(fetch_expr, scope.ns)
        except Exception as exc:  # noqa: BLE001
            record.update(status="skipped", reason=f"its fetches could not be evaluated: {type(exc).__name__}: {exc}")
            self.emit("call", **record)
            return
        feed, made_up = None, None
        if feed_expr is not None:
            broken = {k: v for k, v in self.tainted(feed_expr["names"], scope).items() if k in scope.failed}
            try:
                if broken:
                    name, why = next(iter(broken.items()))
                    raise LookupError(f"`{name}` is not available: line {why['line']} {why['reason']}")
                feed = self.eval_expr(feed_expr, scope.ns)
            except Exception as exc:  # noqa: BLE001 - feed every placeholder from its declared shape
                record["input_error"] = {"type": type(exc).__name__, "message": str(exc), "summary": str(exc)[:300],
                                         "frames": [], "line": None,
                                         "root": next(iter(broken.values())).get("root") if broken else None}
                feed, made_up = self.placeholder_feed(sess.graph)
                record["synthesized_input"] = made_up
        if id(sess) not in self.tf1_initialized:
            self.tf1_initialized.add(id(sess))
            try:
                with sess.graph.as_default():
                    sess.run(v1.global_variables_initializer())
            except Exception:  # noqa: BLE001 - the program may initialize its variables itself
                pass
        if feed:
            record["inputs"] = [self.describe(v) for v in list(feed.values())[:8]]
        stub = stub_in(list(feed.values()) if isinstance(feed, dict) else [feed])
        try:
            if stub is not None:  # a value of a module the check could not import: not run on it
                raise StubValueError(f"its feed holds {describe(stub)}, which the check cannot import: the step was not run")
            with reaching():
                values = sess.run(fetches, feed_dict=feed)
            record["status"] = "ok"
            record["output"] = self.describe(values)
        except Exception as exc:  # noqa: BLE001 - the program's graph failed on its data: the finding
            record["status"] = "error"
            record["error"] = self.error_info(exc)
            record["error"]["line"] = record["error"]["line"] or unit["line"]
            broken = self.graph_broken
            if broken is not None and broken["graph"] == id(sess.graph) and NOT_IN_GRAPH.search(str(exc)):
                # a fetch or feed named by its string ('train', 'cost:0') that a line the check could
                # not run would have made: the graph is incomplete, the program not wrong
                record.update(status="skipped", root=broken.get("root"),
                              reason=f"what it names is not in the graph: line {broken['line']} {broken['reason']}")
                record.pop("error")
        self.emit("call", **record)
        if record["status"] == "ok":
            self.bind_target(unit, scope, values, None)
            for op in self.flat_fetches(fetches):
                step = self.tf1_steps.get(id(op))
                if step is not None and "values" not in step:
                    step["values"] = self.step_values(sess, step, feed)
        else:
            self.mark_failed(unit.get("binds") or [], scope, {"line": unit["line"], "reason": "failed"})

    def flat_fetches(self, fetches) -> list:
        if isinstance(fetches, (list, tuple)):
            return [x for f in fetches for x in self.flat_fetches(f)]
        if isinstance(fetches, dict):
            return [x for f in fetches.values() for x in self.flat_fetches(f)]
        return [fetches]

    def placeholder_feed(self, graph):
        import numpy as np

        feed, parts = {}, []
        for op in graph.get_operations():
            if op.type != "Placeholder":
                continue
            tensor = op.outputs[0]
            try:
                dims = [2 if d is None else int(d) for d in tensor.shape.as_list()] if tensor.shape.rank is not None else [2]
            except ValueError:
                dims = [2]
            dtype = tensor.dtype
            if dtype.is_floating:
                value = np.random.random_sample(dims).astype(dtype.as_numpy_dtype)
            elif dtype.is_bool:
                value = np.zeros(dims, dtype=bool)
            else:
                value = np.random.randint(0, 2, size=dims).astype(dtype.as_numpy_dtype)
            feed[tensor] = value
            parts.append(f"{op.name} {dims}")
        return feed, "every placeholder from its declared shape: " + ", ".join(parts[:6])

    def step_values(self, sess, step: dict, feed) -> dict:
        """The loss and the gradients of one step, on the step's own feed."""
        pairs = [(v, g) for v, g in zip(step["variables"], step["grads"]) if g is not None]
        try:
            loss, grads = sess.run([step["loss"], [g for _, g in pairs]], feed_dict=feed)
        except Exception:  # noqa: BLE001 - e.g. a gradient that needs another placeholder
            return {}
        import numpy as np

        return {
            "loss": loss,
            "zero": [v.name for (v, _), g in zip(pairs, grads) if not np.any(g)],
            "nonfinite": [v.name for (v, _), g in zip(pairs, grads) if not np.all(np.isfinite(g))],
        }

    def none_gradients(self, line: int, ys, xs) -> None:
        """A `tf.gradients(ys, xs)` of the program that gave None for every tensor of xs."""
        from .tf1 import as_list, gradient_cuts

        reached, cuts = gradient_cuts(ys, xs, self.path)
        xs = [x for x in as_list(xs) if hasattr(x, "name")]
        self.emit("call", id=self.new_id(), kind="gradients", line=line, text="tf.gradients(...)", status="ok",
                  none_gradients={"ys": [y.name for y in as_list(ys) if hasattr(y, "name")][:3],
                                  "xs": [x.name for x in xs][:3], "count": len(xs), "reached": bool(reached), "cuts": cuts})

    def tf1_report(self) -> None:
        """One loss record per `minimize()` of the graph: gradients, and the loss's shape."""
        # a variable one minimize() leaves alone and another trains is staged training, not a bug
        trained = {(id(step["loss"].graph), v.name) for step in self.tf1_steps.values()
                   for v, g in zip(step["variables"], step["grads"]) if g is not None} | self.tf1_applied
        for step in self.tf1_steps.values():
            loss = step["loss"]
            step["no_grad"] = [n for n in step["no_grad"] if (id(loss.graph), n) not in trained]
            record = {"id": self.new_id(), "kind": "loss", "line": step["line"], "text": f"minimize({loss.name})",
                      "status": "ok", "minimized": True, "loss": self.describe(loss), "loss_line": step.get("loss_line")}
            grads = {"parameters": len(step["variables"]), "no_grad": step["no_grad"]}
            shared = updated_elsewhere(self, step)
            if shared:  # a minimize() without var_list that moves variables the program updates itself
                record["trains_updated_elsewhere"] = shared
            values = step.get("values") or {}
            if "loss" in values:
                value = values["loss"]
                record["value"] = float(value) if getattr(value, "size", 1) == 1 else None
                if record["value"] is not None and not math.isfinite(record["value"]):
                    record["nonfinite_loss"] = True
                grads["zero"], grads["nonfinite"] = values["zero"], values["nonfinite"]
            record["gradients"] = grads
            record["created_at"] = {name: self.tf1_variable_lines.get(name) for name in step["no_grad"]}
            dead = [v for v in step["variables"] if v.name in step["no_grad"]]
            try:
                record["dead_ends"] = dead_ends(dead, self.path, self.tf1_variable_lines, differentiated=self.tf1_gradient_ops)
            except Exception:  # noqa: BLE001 - a graph the walk cannot follow: where the values stop is not said
                record["dead_ends"] = []
            record["discarded_dropouts"] = discarded_dropouts(self, loss)
            self.emit("call", **record)
