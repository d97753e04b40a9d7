"""Inputs of model calls: given (--input), built by the replay, or guessed from the first layer."""
from __future__ import annotations

from .common import Scope
from .stubs import StubValueError, describe, is_stub, module_of, reaching, stub_in


class Inputs:
    # -- inputs ----------------------------------------------------------------------------------

    def make_input(self, spec: dict):
        shape, dtype = spec["shape"], spec.get("dtype")
        if self.torch is not None:
            torch = self.torch
            dt = getattr(torch, dtype) if dtype else torch.float32
            device = self.device if self.device == "meta" else "cpu"
            if dt.is_floating_point:
                return torch.randn(*shape, dtype=dt, device=device)
            return torch.randint(0, 2, tuple(shape), dtype=dt, device=device)
        if self.tf is not None:
            tf = self.tf
            dt = getattr(tf, dtype) if dtype else tf.float32
            if dt.is_floating:
                return tf.random.normal(shape, dtype=dt)
            return tf.random.uniform(shape, 0, 2, dtype=dt)
        raise RuntimeError("no framework to make an input with")

    def guess_input(self, model):
        """An input the model's first layer accepts: (spec dict, how it was chosen) or (None, why)."""
        name = self.model_name(model)
        if name and name in self.overrides:
            return self.overrides[name], f"--input {name}"
        if self.is_torch_module(model):
            nn = self.torch.nn
            for layer in model.modules():
                b = 2
                if isinstance(layer, nn.Linear):
                    return {"shape": [b, layer.in_features]}, f"{type(layer).__name__}(in_features={layer.in_features})"
                if isinstance(layer, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
                    spatial = {nn.Conv1d: [64], nn.Conv2d: [32, 32], nn.Conv3d: [16, 16, 16]}[type(layer)]
                    return {"shape": [b, layer.in_channels, *spatial]}, f"{type(layer).__name__}(in_channels={layer.in_channels})"
                if isinstance(layer, nn.Embedding):
                    return {"shape": [b, 8], "dtype": "int64"}, "Embedding"
                if isinstance(layer, (nn.RNN, nn.LSTM, nn.GRU)):
                    shape = [b, 8, layer.input_size] if layer.batch_first else [8, b, layer.input_size]
                    return {"shape": shape}, f"{type(layer).__name__}(input_size={layer.input_size})"
                if isinstance(layer, (nn.BatchNorm1d, nn.BatchNorm2d)):
                    extra = [32, 32] if isinstance(layer, nn.BatchNorm2d) else []
                    return {"shape": [b, layer.num_features, *extra]}, type(layer).__name__
                if isinstance(layer, nn.LayerNorm):
                    return {"shape": [b, *layer.normalized_shape]}, "LayerNorm"
            return None, "its first layer does not tell the input shape"
        if self.is_keras_layer(model):
            inputs = getattr(model, "inputs", None)
            try:
                if inputs:
                    shape = [2 if d is None else int(d) for d in inputs[0].shape]
                    return {"shape": shape}, "the model's declared input"
            except Exception:  # noqa: BLE001 - a model without a defined input
                pass
            layers = list(self.keras_children(model)) or [model]
            first = layers[0]
            kind = type(first).__name__
            if kind == "Embedding":
                return {"shape": [2, 8], "dtype": "int32"}, "Embedding"
            if kind.startswith("Conv2D"):
                return {"shape": [2, 32, 32, 3]}, kind
            if kind in ("LSTM", "GRU", "SimpleRNN", "Conv1D"):
                return {"shape": [2, 8, 8]}, kind
            return {"shape": [2, 8]}, "a default (2, 8) input: the first layer does not declare a shape"
        return None, "not a model"

    def model_name(self, model) -> str | None:
        for name, value in self.top_ns.items():
            if value is model and not name.startswith("__"):
                return name
        return None


    def describe(self, value):
        """Shape and dtype of a tensor (or of each tensor in a tuple/list)."""
        if is_stub(value):
            return {"type": f"a value of the stub for {module_of(value)}"}
        if self.torch is not None and isinstance(value, self.torch.Tensor):
            return {"shape": list(value.shape), "dtype": str(value.dtype).replace("torch.", "")}
        if self.tf is not None and (isinstance(value, self.tf.Tensor) or hasattr(value, "shape") and hasattr(value, "dtype")):
            try:
                shape = [None if d is None else int(d) for d in value.shape]
            except TypeError:
                shape = None
            dtype = getattr(value.dtype, "name", str(value.dtype))
            return {"shape": shape, "dtype": str(dtype)}
        if isinstance(value, (list, tuple)) and value:
            return [self.describe(v) for v in value[:8]]
        if isinstance(value, dict):
            return {str(k): self.describe(v) for k, v in list(value.items())[:8]}
        return {"type": type(value).__name__}

    def user_code_range(self, fn) -> list[int] | None:
        code = getattr(fn, "__code__", None)
        if code is None or code.co_filename != self.path:
            return None
        lines = [ln for _, _, ln in code.co_lines() if ln]
        return [min([code.co_firstlineno, *lines]), max([code.co_firstlineno, *lines])]

    def forward_args(self, unit: dict, model, scope):
        """Positional and keyword inputs of a call site, or synthesized ones with a note."""
        site = unit["call"]
        names = [n for e in [*site["args"], *site["kwargs"].values()] for n in e["names"]]
        error = self.not_available(names, scope)
        if error is not None:
            spec, how = self.guess_input(model)
            if spec is None:
                return None, None, error, None
            return [self.make_input(spec)], {}, error, f"{list(spec['shape'])} from {how}"
        try:
            args = [self.eval_expr(a, scope.ns) for a in site["args"]]
            kwargs = {k: self.eval_expr(e, scope.ns) for k, e in site["kwargs"].items()}
            return args, kwargs, None, None
        except Exception as exc:  # noqa: BLE001 - an input the slice could not build
            error = self.error_info(exc)
            spec, how = self.guess_input(model)
            if spec is None:
                return None, None, error, None
            return [self.make_input(spec)], {}, error, f"{list(spec['shape'])} from {how}"

    def made_from(self, site: dict, scope) -> dict | None:
        """The first input name of a call site that holds values computed from an input the check
        made up: {name, line, reason}, or None. (Data of a known loader has the real shapes; a
        list a loop not run through only began is the program's own values, so neither counts.)"""
        names = [n for e in [*site["args"], *site["kwargs"].values()] for n in e["names"]]
        for name, why in self.tainted(names, scope).items():
            if why.get("made_up") and name not in scope.failed:
                return {"name": name, "line": why.get("line"), "reason": why.get("reason", "is not the program's data")}
        return None

    def not_available(self, names, scope) -> dict | None:
        """The error of an input that reads a name a failed line did not make, or None."""
        broken = {k: v for k, v in self.tainted(names, scope).items() if k in scope.failed or v.get("stub")}
        if not broken:
            return None
        name, why = next(iter(broken.items()))
        text = f"`{name}` is not available: line {why['line']} {why['reason']}"
        return {"type": "NotAvailable", "message": text, "summary": text, "frames": [], "line": None, "root": why.get("root")}

    def run_forward(self, unit: dict, model, scope, synthesized: str | None = None, args=None, input_error=None) -> dict:
        site = unit["call"]
        record = {
            "id": self.new_id(), "kind": "forward", "line": unit["line"], "text": site["text"],
            "model": site["func"]["code"], "model_type": type(model).__name__,
        }
        if unit.get("via"):  # the model's method that ran as its forward pass
            record["via"], record["model_type"] = unit["via"], f"{record['model_type']}.{unit['via']}"
        if site.get("method"):
            record["method"] = site["method"]
        elif site.get("outside_tape"):
            record["outside_tape"] = True
        if unit.get("guessed"):
            record["guessed_input"] = True
        for key in ("python_lists", "fed_targets"):  # keras_method: lists Keras 3 refuses, targets as inputs
            if unit.get(key):
                record[key] = unit[key]
        self.called_models.add(id(model))
        if args is None:
            args, kwargs, input_error, synthesized = self.forward_args(unit, model, scope)
        else:
            kwargs = {}
        if input_error is not None:
            record["input_error"] = input_error
        made = self.made_from(site, scope) if input_error is None and not synthesized else None
        if made is not None:
            # its input is the program's expression on the output of a made-up input: not the
            # program's data, so what fails on it is not the program's error
            record["input_from"] = made
            synthesized = f"computed from `{made['name']}`, which {made['reason']} (line {made['line']})"
        if synthesized:
            record["synthesized_input"] = synthesized
        if input_error is not None and args is not None and self.is_keras_layer(model) and not getattr(model, "built", True):
            # a Keras model is built for the first input it sees: this made-up one fixes its input
            # size, so a later call on the program's own data may fail for that (see below)
            self.built_by_guess[id(model)] = unit["line"]
        elif id(model) in self.built_by_guess and not synthesized:
            record["built_by_guess"] = self.built_by_guess[id(model)]
        if args is None:
            record["status"] = "skipped"
            record["reason"] = "its input could not be built: " + input_error["type"] + ": " + input_error["message"]
            self.emit("call", **record)
            for name in unit.get("binds") or []:
                scope.failed[name] = {"line": unit["line"], "reason": "was skipped"}
            return record
        stub = stub_in([*args, *kwargs.values()])
        if stub is not None:  # a value of a module the check could not import: not run on it
            record["status"] = "error"
            record["error"] = self.error_info(StubValueError(
                f"its input holds {describe(stub)}, which the check cannot import: the model was not run"))
            out = None
        elif self.is_torch_module(model):
            with reaching():
                out = self.torch_forward(record, model, args, kwargs)
        else:
            with reaching():
                out = self.keras_forward(record, model, args, kwargs, scope)
            if record["status"] == "ok" and not synthesized and (site.get("differentiated") or
                                                                 site.get("method") in ("fit", "train_on_batch")):
                # a trained model: the layers none of its calls ever build are found when the run ends
                self.trained_models.setdefault(id(model), (record["id"], model))
        if record["status"] == "error" and record.get("built_by_guess"):
            record["synthesized_input"] = (f"the model was built at line {record['built_by_guess']} for an input the "
                                           "check made up, not for the program's data")
        self.emit("call", **record)
        if record["status"] == "ok":
            self.bind_target(unit, scope, out, record)
            scope.forward_state[record["id"]] = (model, out)
            if input_error is not None or made is not None:  # the output of a made-up input: what fails on it is not the program's
                for name in unit.get("binds") or []:
                    scope.synthetic[name] = {"line": unit["line"], "reason": "holds the output of a made-up input",
                                             "made_up": True}
        else:
            for name in unit.get("binds") or []:
                scope.failed[name] = {"line": unit["line"], "reason": "failed"}
        return record


    # -- models nobody called --------------------------------------------------------------------

    def uncalled_models(self) -> None:
        models = [(n, v) for n, v in list(self.top_ns.items()) if not n.startswith("__") and self.is_model(v)]
        inner = set()
        for _, v in models:
            children = v.modules() if self.is_torch_module(v) else getattr(v, "_flatten_layers", lambda **k: [])(include_self=False, recursive=True)
            for child in children:
                if child is not v:
                    inner.add(id(child))
        for name, model in models:
            if id(model) in self.called_models or id(model) in inner:
                continue
            spec, how = self.guess_input(model)
            line = self.binders.get(name, 0)
            unit = {"line": line, "binds": [], "call": {"text": f"{name}(<input>)", "func": {"code": name, "line": line},
                                                         "args": [], "kwargs": {}, "target": None}}
            if spec is not None and not how.startswith("--input") and self.is_keras_layer(model) and how != "the model's declared input":
                # a Keras model is built for the first input it sees: an invented width would be its own
                spec, how = None, "it declares no input shape"
            if spec is None:
                self.emit("call", id=self.new_id(), kind="forward", line=line, text=unit["call"]["text"], model=name,
                          status="skipped", reason=f"no call of `{name}` in the file and {how}: give --input {name}=SHAPE")
                continue
            self.phase("call", line)
            unit["guessed"] = not how.startswith("--input")  # not the program's input: see outcome.could_not_check
            self.run_forward(unit, model, Scope(self.top_ns, top=True), synthesized=f"{list(spec['shape'])} from {how}",
                             args=[self.make_input(spec)])

