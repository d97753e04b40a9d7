"""Replaying a call unit: what is called (a model's forward pass, a loss, a Keras model's method,
a TF1 session's run, or plain code) picks how it is replayed; the call's records, its target's
binding, and what things are (a torch module, a loss, a Keras layer or model). The exec and loop
units: replay.py."""
from __future__ import annotations

from .blame import meta_limit
from .common import Scope


class CallUnits:
    # -- calls -----------------------------------------------------------------------------------

    def bind_target(self, unit: dict, scope: "Scope", value, record: dict | None) -> None:
        target = unit["call"].get("target")
        if not target:
            return
        scope.ns["__tensorlint_value__"] = value
        try:
            exec(self.compile_at(target + " = __tensorlint_value__", unit["line"], "exec"), scope.ns)
        except Exception as exc:  # noqa: BLE001 - e.g. unpacking a value of the wrong length
            self.emit("setup_error", line=unit["line"], what=target, error=self.error_info(exc))
            return
        for name in unit.get("binds") or []:
            scope.forget(name)
            if record is not None:
                scope.outputs[name] = record

    def run_call(self, unit: dict, scope: "Scope") -> None:
        try:
            self.dispatch_call(unit, scope)
        except SystemExit as exc:  # the model or the loss called sys.exit()
            frames = self.error_info(exc)["frames"]
            line = frames[-1]["line"] if frames else unit["line"]
            self.emit("exit", line=line, code=str(exc.code), what=unit["call"]["text"])
            self.stopped = True

    def dispatch_call(self, unit: dict, scope: "Scope") -> None:
        site = unit["call"]
        self.phase("call", unit["line"])
        try:
            callee = self.eval_expr(site["func"], scope.ns)
        except SystemExit as exc:
            self.emit("exit", line=unit["line"], code=str(exc.code), what=site["text"], during="setup")
            self.stopped = True
            return
        except Exception as exc:  # noqa: BLE001
            def fail():
                raise exc
            failure = self.guarded(unit["line"], site["text"], fail, scope, site["func"]["names"])
            self.mark_failed(unit.get("binds") or [], scope, failure)
            return
        broken = {k: v for k, v in self.tainted(site["func"]["names"], scope).items() if k in scope.failed}
        if broken and not (self.is_model(callee) or self.is_keras_model(callee) or self.is_session(callee)):
            # plain code that needs what a failed line did not make: it would fail the same way
            self.mark_failed(unit.get("binds") or [], scope, next(iter(broken.values())))
            return
        if broken:  # e.g. a model some of whose layers could not be added
            name, why = next(iter(broken.items()))
            self.skip_call(unit, scope, f"`{name}` is incomplete: line {why['line']} {why['reason']}", why)
            return
        via = site.get("forward_method")
        if via:  # `model.pi(state)`: the model's own method, its forward pass (method_forwards.py)
            bound = getattr(callee, via, None)
            if self.is_torch_module(callee) and getattr(bound, "__self__", None) is callee:
                self.run_forward(dict(unit, via=via), callee, scope)
                return
            callee = bound  # not a method of a model where it runs: the call as written
        method = site.get("method")
        if method == "run":  # only a TF1 session's run is replayed, never another object's
            if self.is_session(callee):
                self.session_run(unit, callee, scope)
            return
        if method == "build":  # keras2.subclass_build runs a subclassed model's call as Keras 2 did
            self.run_exec(unit, scope)
            return
        if method:
            if self.is_keras_model(callee):
                self.keras_method(unit, callee, scope)
            elif not self.is_model(callee):
                self.run_exec(unit, scope)  # e.g. scaler.fit(x): data preparation
            return
        uses = [set(a["names"]) for a in site["args"]]
        uses += [set(e["names"]) for e in site["kwargs"].values()]
        refs_out = [i for i, names in enumerate(uses) if names & scope.outputs.keys()]
        refs_failed = [i for i, names in enumerate(uses) if names & scope.failed.keys()]
        is_loss = callable(callee) and len(uses) >= 2 and not self.is_plain_model(callee)
        if is_loss and refs_failed:  # also beside the model's output: the loss needs both
            name = sorted(set().union(*(uses[i] for i in refs_failed)) & scope.failed.keys())[0]
            why = scope.failed[name]
            self.skip_call(unit, scope, f"`{name}` is not available: line {why['line']} {why['reason']}", why, kind="loss")
        elif is_loss and refs_out:
            self.run_loss(unit, callee, scope)
        elif self.is_model(callee):
            self.run_forward(unit, callee, scope)
        else:
            self.run_exec(unit, scope)

    def skip_call(self, unit: dict, scope: "Scope", reason: str, why: dict, kind: str = "forward") -> None:
        self.emit("call", id=self.new_id(), kind=kind, line=unit["line"], text=unit["call"]["text"], status="skipped",
                  reason=reason, root=why.get("root"))
        self.mark_failed(unit.get("binds") or [], scope, {"line": unit["line"], "reason": "was skipped", "root": why.get("root")})

    def forward_failed(self, record: dict, exc: BaseException, rows: list[dict]) -> None:
        """A model's forward pass raised: the error, and the innermost layer that had not returned."""
        record["status"] = "error"
        record["error"] = self.error_info(exc)
        if self.device == "meta" and meta_limit(exc):
            record["synthesized_input"] = record.get("synthesized_input") or "tensors without values on the meta device"
        failed = [r for r in rows if "output" not in r]
        if failed:
            record["error"]["layer"] = failed[-1]["path"]
            record["error"]["layer_type"] = failed[-1]["type"]

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    # -- what things are -------------------------------------------------------------------------

    def is_torch_module(self, obj) -> bool:
        return self.torch is not None and isinstance(obj, self.torch.nn.Module)

    def is_torch_loss(self, obj) -> bool:
        return self.torch is not None and isinstance(obj, self.torch.nn.modules.loss._Loss)

    def is_keras_layer(self, obj) -> bool:
        return self.keras is not None and isinstance(obj, self.keras.layers.Layer)

    def is_keras_model(self, obj) -> bool:
        return self.keras is not None and isinstance(obj, self.keras.Model)

    def is_model(self, obj) -> bool:
        return (self.is_torch_module(obj) and not self.is_torch_loss(obj)) or self.is_keras_layer(obj)

    def is_plain_model(self, obj) -> bool:
        """A model that is not also a loss (a call with the model's output is then chaining)."""
        if self.is_torch_loss(obj):
            return False
        return self.is_model(obj)
