"""Runs in the subprocess: replays a slice of the user's file, then each model call once.

    python driver.py PLAN.json EVENTS.jsonl

Only the standard library is imported at the top: torch and tensorflow are imported when the
plan says the file uses them. Nothing from tensorlint is imported, so any interpreter that has
the user's frameworks can run this file. Every fact goes to EVENTS.jsonl as one JSON object per
line, written and flushed as soon as it is known, so that a crash or a timeout leaves behind
everything that happened before it.
"""
from __future__ import annotations

import builtins
import faulthandler
import json
import math
import os
import re
import sys
import time
import traceback

ANSI = re.compile(r"\x1b\[[0-9;]*m")
TORCH_LOSS_KEYWORDS = ("target", "targets", "labels", "label", "y", "y_true")
# layers whose weights must have the input's dtype; the meta device does not check it
TORCH_DTYPE_STRICT = (
    "Linear", "Bilinear", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d",
    "ConvTranspose3d", "RNN", "LSTM", "GRU",
)


class Driver:
    def __init__(self, plan: dict, events) -> None:
        self.plan = plan
        self.path = plan["path"]
        self.events = events
        self.torch = None
        self.tf = None
        self.keras = None
        self.device = None  # torch device string
        self.tf_device = None
        self.next_id = 0
        self.called_models: set[int] = set()
        self.moved: set[int] = set()
        self.overrides = plan.get("inputs") or {}
        self.binders: dict[str, int] = {}  # global name -> line of the statement that bound it
        self.stopped = False

    # -- events ----------------------------------------------------------------------------------

    def emit(self, event: str, **data) -> None:
        data["event"] = event
        self.events.write(json.dumps(data, default=str) + "\n")
        self.events.flush()

    def phase(self, what: str, line: int | None = None) -> None:
        self.emit("phase", what=what, line=line)

    def error_info(self, exc: BaseException) -> dict:
        frames = [
            {"line": f.lineno, "function": f.name}
            for f in traceback.extract_tb(exc.__traceback__)
            if f.filename == self.path
        ]
        message = ANSI.sub("", str(exc)).strip()
        if len(message) > 4000:
            message = message[:4000] + " …"
        # Keras wraps the real message between a header and the call's arguments
        lines = [ln.strip() for ln in message.splitlines() if ln.strip()]
        useful = [ln for ln in lines if not ln.startswith(("Exception encountered when calling", "Arguments received by"))
                  and not ln.startswith("•")]
        return {
            "type": type(exc).__name__,
            "message": message,
            "summary": (useful or lines or [""])[0],
            "frames": frames,
            "line": frames[-1]["line"] if frames else None,
        }

    # -- setup -----------------------------------------------------------------------------------

    def import_frameworks(self) -> bool:
        versions = {}
        for fw in self.plan["frameworks"]:
            try:
                if fw == "torch":
                    import torch

                    self.torch = torch
                    versions["torch"] = torch.__version__
                else:
                    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
                    import tensorflow as tf

                    self.tf = tf
                    try:
                        import keras
                    except ImportError:
                        keras = tf.keras
                    self.keras = keras
                    versions["tensorflow"] = tf.__version__
                    versions["keras"] = getattr(keras, "__version__", "")
            except ImportError as exc:
                self.emit("missing", framework=fw, message=str(exc), python=sys.executable)
                return False
        self.emit("frameworks", versions=versions)
        return True

    def choose_device(self) -> bool:
        wanted = self.plan.get("device", "auto")
        info = {"requested": wanted}
        if self.torch is not None:
            cuda = bool(self.torch.cuda.is_available())
            if wanted == "cuda" and not cuda:
                self.emit("fatal", message=f"--device cuda: PyTorch ({sys.executable}) sees no CUDA device")
                return False
            self.device = "cuda" if wanted == "cuda" or (wanted == "auto" and cuda) else wanted
            if self.device == "auto":
                self.device = "cpu"
            info["torch"] = self.device
            if self.device == "cuda":
                info["gpu"] = self.torch.cuda.get_device_name(0)
        if self.tf is not None:
            gpus = self.tf.config.list_physical_devices("GPU")
            if wanted == "cuda" and not gpus:
                self.emit("fatal", message=f"--device cuda: TensorFlow ({sys.executable}) sees no GPU")
                return False
            if wanted in ("cuda", "auto") and gpus:
                self.tf_device = "/GPU:0"
            else:
                self.tf_device = "/CPU:0"
            info["tensorflow"] = self.tf_device
            if wanted == "meta":
                info["note"] = "the meta device is PyTorch's; Keras models ran on the CPU"
        self.emit("device", **info)
        return True

    # -- replay ----------------------------------------------------------------------------------

    def compile_at(self, code: str, line: int, mode: str):
        if mode == "eval":
            code = "(" + code + "\n)"
        return compile("\n" * (line - 1) + code, self.path, mode, dont_inherit=True)

    def eval_expr(self, expr: dict, ns: dict):
        return eval(self.compile_at(expr["code"], expr["line"], "eval"), ns)

    def run_units(self, units: list, scope: "Scope") -> None:
        for unit in units:
            if self.stopped:
                return
            kind = unit["kind"]
            if kind == "exec":
                self.run_exec(unit, scope)
            elif kind == "call":
                self.run_call(unit, scope)
            elif kind == "loop":
                self.run_loop(unit, scope)

    def guarded(self, line: int, what: str, fn):
        """Run fn(); a failure of the user's code becomes a setup_error event. Returns ok."""
        try:
            fn()
            return True
        except SystemExit as exc:
            self.emit("exit", line=line, code=str(exc.code), what=what)
            self.stopped = True
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - anything the user's code raises
            self.emit("setup_error", line=line, what=what, error=self.error_info(exc))
        return False

    def run_exec(self, unit: dict, scope: "Scope") -> None:
        binds = unit.get("binds") or []
        if binds and all(name in self.overrides for name in binds):
            for name in binds:
                scope.ns[name] = self.make_input(self.overrides[name])
            return
        self.phase("replay", unit["line"])
        code = self.compile_or_report(unit)
        if code is None:
            return
        ok = self.guarded(unit["line"], unit["code"].splitlines()[0], lambda: exec(code, scope.ns))
        if ok:
            for name in binds:
                scope.forget(name)
                if scope.top:
                    self.binders[name] = unit["line"]
        for name in binds:
            if name in self.overrides:
                scope.ns[name] = self.make_input(self.overrides[name])

    def compile_or_report(self, unit: dict):
        try:
            return self.compile_at(unit["code"], unit["line"], "exec")
        except SyntaxError as exc:
            self.emit("setup_error", line=unit["line"], what=unit["code"].splitlines()[0],
                      error={"type": "SyntaxError", "message": str(exc), "frames": [], "line": unit["line"]})
            return None

    def run_loop(self, unit: dict, scope: "Scope") -> None:
        inner = scope.child()
        if unit.get("binding_iter"):
            self.phase("loop", unit["line"])

            def bind():
                iterable = self.eval_expr(unit["binding_iter"], inner.ns)
                try:
                    item = next(iter(iterable))
                except StopIteration:
                    raise ValueError("the loop's iterable is empty") from None
                inner.ns["__tensorlint_item__"] = item
                exec(self.compile_at(unit["binding"] + " = __tensorlint_item__", unit["line"], "exec"), inner.ns)

            if not self.guarded(unit["line"], unit["code"], bind):
                if self.stopped:
                    return
        self.run_units(unit["body"], inner)
        inner.close()

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
            self.emit("exit", line=unit["line"], code=str(exc.code), what=site["text"])
            self.stopped = True
            return
        except Exception as exc:  # noqa: BLE001
            self.emit("setup_error", line=unit["line"], what=site["text"], error=self.error_info(exc))
            for name in unit.get("binds") or []:
                scope.failed[name] = {"line": unit["line"], "reason": "its statement failed"}
            return
        method = site.get("method")
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
        if is_loss and refs_out:
            self.run_loss(unit, callee, scope)
        elif is_loss and refs_failed:
            name = sorted(set().union(*(uses[i] for i in refs_failed)) & scope.failed.keys())[0]
            why = scope.failed[name]
            self.emit("call", id=self.new_id(), kind="loss", line=unit["line"], text=site["text"],
                      status="skipped", reason=f"`{name}` is not available: line {why['line']} {why['reason']}")
            for n in unit.get("binds") or []:
                scope.failed[n] = {"line": unit["line"], "reason": "was skipped"}
        elif self.is_model(callee):
            self.run_forward(unit, callee, scope)
        else:
            self.run_exec(unit, scope)

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

    # -- torch forward ---------------------------------------------------------------------------

    def to_device(self, value):
        torch = self.torch
        if isinstance(value, torch.Tensor):
            return value.to(self.device)
        if isinstance(value, (list, tuple)):
            return type(value)(self.to_device(v) for v in value)
        if isinstance(value, dict):
            return {k: self.to_device(v) for k, v in value.items()}
        return value

    def describe(self, value):
        """Shape and dtype of a tensor (or of each tensor in a tuple/list)."""
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

    def run_forward(self, unit: dict, model, scope, synthesized: str | None = None, args=None) -> dict:
        site = unit["call"]
        record = {
            "id": self.new_id(), "kind": "forward", "line": unit["line"], "text": site["text"],
            "model": site["func"]["code"], "model_type": type(model).__name__,
        }
        if site.get("method"):
            record["method"] = site["method"]
        self.called_models.add(id(model))
        input_error = None
        if args is None:
            args, kwargs, input_error, synthesized = self.forward_args(unit, model, scope)
        else:
            kwargs = {}
        if input_error is not None:
            record["input_error"] = input_error
        if synthesized:
            record["synthesized_input"] = synthesized
        if args is None:
            record["status"] = "skipped"
            record["reason"] = "its input could not be built: " + input_error["type"] + ": " + input_error["message"]
            self.emit("call", **record)
            for name in unit.get("binds") or []:
                scope.failed[name] = {"line": unit["line"], "reason": "was skipped"}
            return record
        if self.is_torch_module(model):
            out = self.torch_forward(record, model, args, kwargs)
        else:
            out = self.keras_forward(record, model, args, kwargs, scope)
        self.emit("call", **record)
        if record["status"] == "ok":
            self.bind_target(unit, scope, out, record)
            scope.forward_state[record["id"]] = (model, out)
        else:
            for name in unit.get("binds") or []:
                scope.failed[name] = {"line": unit["line"], "reason": "failed"}
        return record

    def torch_forward(self, record: dict, model, args, kwargs):
        torch = self.torch
        record["device"] = self.device
        if id(model) not in self.moved:
            model.to(self.device)
            self.moved.add(id(model))
        args, kwargs = self.to_device(list(args)), self.to_device(kwargs)
        record["inputs"] = [self.describe(a) for a in args]
        rows: list[dict] = []
        calls: list[tuple] = []
        handles = []
        root_name = record["model"]

        def pre(name, module):
            def hook(mod, inputs):
                row = {"path": name or root_name, "type": type(mod).__name__, "depth": name.count(".") + (1 if name else 0)}
                if inputs:
                    row["input"] = self.describe(inputs[0])
                row["params"] = sum(p.numel() for p in mod.parameters())
                rows.append(row)
                calls.append((row, mod, inputs))
                if self.device == "meta":
                    self.meta_checks(mod, inputs)
            return hook

        def post(row_index_holder):
            def hook(mod, inputs, output):
                for row, m, _ in reversed(calls):
                    if m is mod and "output" not in row:
                        row["output"] = self.describe(output)
                        row["_out"] = output
                        break
            return hook

        for name, module in model.named_modules():
            handles.append(module.register_forward_pre_hook(pre(name, module)))
            handles.append(module.register_forward_hook(post(None)))
        out = None
        started = time.perf_counter()
        try:
            out = model(*args, **kwargs)
            record["status"] = "ok"
            record["output"] = self.describe(out)
        except Exception as exc:  # noqa: BLE001 - the user's model failed: that is the finding
            record["status"] = "error"
            record["error"] = self.error_info(exc)
            failed = [r for r in rows if "output" not in r]
            if failed:
                record["error"]["layer"] = failed[-1]["path"]
                record["error"]["layer_type"] = failed[-1]["type"]
        finally:
            for h in handles:
                h.remove()
        record["seconds"] = round(time.perf_counter() - started, 4)
        started = time.perf_counter()
        if record["status"] == "ok" and len(args) == 1 and not kwargs:
            record["probes"] = self.torch_model_probe(model, args[0], calls)
        else:
            record["probes"] = self.torch_probes(calls)
        record["probe_seconds"] = round(time.perf_counter() - started, 4)
        for row in rows:
            row.pop("_out", None)
        record["layers"] = rows
        return out

    def meta_checks(self, mod, inputs) -> None:
        """The checks PyTorch's CPU kernels make and its meta kernels skip or word vaguely."""
        torch = self.torch
        if type(mod).__name__ not in TORCH_DTYPE_STRICT or not inputs:
            return
        x = inputs[0]
        weight = next(mod.parameters(recurse=False), None)
        name = type(mod).__name__
        if name in ("Conv1d", "Conv2d", "Conv3d") and isinstance(x, torch.Tensor) and weight is not None:
            dims = int(name[4])
            channels = x.shape[1] if x.dim() == dims + 2 else x.shape[0] if x.dim() == dims + 1 else None
            expected = weight.shape[1] * mod.groups
            if channels is not None and channels != expected:
                raise RuntimeError(
                    f"Given groups={mod.groups}, weight of size {list(weight.shape)}, expected input"
                    f"{list(x.shape)} to have {expected} channels, but got {channels} channels instead"
                )
        if isinstance(x, torch.Tensor) and weight is not None and x.dtype != weight.dtype:
            raise RuntimeError(
                f"{type(mod).__name__} has {str(weight.dtype).replace('torch.', '')} weights but got a "
                f"{str(x.dtype).replace('torch.', '')} input (checked on the meta device, where PyTorch "
                "itself does not compare dtypes)"
            )

    def torch_model_probe(self, model, x, calls) -> list[dict]:
        """Two more passes of the whole model, in eval mode, on x and on a changed x: a user-defined
        module whose input changed but whose output did not ignores its input (TL401)."""
        torch = self.torch
        if self.device == "meta" or not isinstance(x, torch.Tensor) or not x.is_floating_point():
            return []
        user = {}
        for row, mod, _ in calls:
            lines = self.user_code_range(type(mod).forward)
            if lines is not None and id(mod) not in user:
                user[id(mod)] = (row, mod, lines)
        if not user:
            return []
        seen: dict[int, list] = {}
        handles = []

        def hook(mod, inputs, output):
            seen.setdefault(id(mod), []).append((inputs[0] if inputs else None, output))

        for _, mod, _ in user.values():
            handles.append(mod.register_forward_hook(hook))
        modes = {id(m): m.training for m in model.modules()}
        probes = []
        try:
            model.eval()
            with torch.no_grad():
                model(x)
                model(x + torch.randn_like(x) + 1.0)
        except Exception as exc:  # noqa: BLE001 - e.g. a model that behaves differently in eval mode
            return [{"layer": row["path"], "type": row["type"], "lines": lines, "error": f"{type(exc).__name__}: {exc}"[:300]}
                    for row, _, lines in user.values()]
        finally:
            for h in handles:
                h.remove()
            for m in model.modules():
                m.training = modes.get(id(m), m.training)
        for key, (row, mod, lines) in user.items():
            runs = seen.get(key, [])
            if len(runs) != 2:
                continue
            (in_a, out_a), (in_b, out_b) = runs
            if not isinstance(in_a, torch.Tensor) or _same(torch, in_a, in_b):
                continue  # its input did not change: nothing to learn
            probes.append({"layer": row["path"], "type": row["type"], "lines": lines, "unchanged": bool(_same(torch, out_a, out_b))})
        return probes

    def torch_probes(self, calls) -> list[dict]:
        """Does each user-defined module's output change when its input changes? (TL401)"""
        torch = self.torch
        probes = []
        if self.device == "meta":
            return probes
        seen = set()
        for row, mod, inputs in calls:
            lines = self.user_code_range(type(mod).forward)
            if lines is None or id(mod) in seen or "_out" not in row or not inputs:
                continue
            seen.add(id(mod))
            x = inputs[0]
            if not isinstance(x, torch.Tensor) or not x.is_floating_point():
                continue
            probe = {"layer": row["path"], "type": row["type"], "lines": lines}
            was_training = mod.training
            try:
                mod.eval()
                with torch.no_grad():
                    a = mod(x, *inputs[1:])
                    b = mod(x + torch.randn_like(x) + 1.0, *inputs[1:])
                probe["unchanged"] = bool(_same(torch, a, b))
            except Exception as exc:  # noqa: BLE001
                probe["error"] = f"{type(exc).__name__}: {exc}"[:500]
            finally:
                mod.train(was_training)
            probes.append(probe)
        return probes

    # -- keras forward ---------------------------------------------------------------------------

    def keras_children(self, layer):
        flatten = getattr(layer, "_flatten_layers", None)
        if flatten is not None:
            return list(flatten(include_self=False, recursive=False))
        return list(getattr(layer, "layers", []))

    def keras_forward(self, record: dict, model, args, kwargs, scope, loss_fn=None, y=None):
        """Forward pass with per-layer recording under an open GradientTape (closed by the loss)."""
        tf = self.tf
        record["device"] = self.tf_device
        record["inputs"] = [self.describe(a) for a in args]
        rows: list[dict] = []
        calls: list[tuple] = []
        wrapped = []

        def wrap(layer, path, depth):
            original = layer.call

            def call(*a, **k):
                row = {"path": path, "type": type(layer).__name__, "depth": depth}
                if a:
                    row["input"] = self.describe(a[0])
                rows.append(row)
                out = original(*a, **k)
                row["output"] = self.describe(out)
                calls.append((row, layer, a, k, out))
                return out

            object.__setattr__(layer, "call", call)
            wrapped.append(layer)
            for child in self.keras_children(layer):
                wrap(child, f"{path}.{child.name}", depth + 1)

        wrap(model, record["model"], 0)
        tape = tf.GradientTape(persistent=True)
        out = None
        try:
            with tf.device(self.tf_device):
                tape.__enter__()
                out = model(*args, **kwargs)
            record["status"] = "ok"
            record["output"] = self.describe(out)
        except Exception as exc:  # noqa: BLE001
            tape.__exit__(None, None, None)
            tape = None
            record["status"] = "error"
            record["error"] = self.error_info(exc)
            failed = [r for r in rows if "output" not in r]
            if failed:
                record["error"]["layer"] = failed[-1]["path"]
                record["error"]["layer_type"] = failed[-1]["type"]
        finally:
            for layer in wrapped:
                try:
                    object.__delattr__(layer, "call")
                except AttributeError:
                    pass
        if tape is not None:
            scope.tapes[record["id"]] = tape
            # ops outside the model's forward are not recorded until a loss needs them
            tape._pop_tape() if hasattr(tape, "_pop_tape") else None
        for row in rows:
            layer = next((c[1] for c in calls if c[0] is row), None)
            try:
                row["params"] = int(layer.count_params()) if layer is not None and layer.built else 0
            except Exception:  # noqa: BLE001 - unbuilt layers have no count
                row["params"] = 0
        record["layers"] = rows
        record["probes"] = self.keras_probes(calls)
        return out

    def keras_probes(self, calls) -> list[dict]:
        tf = self.tf
        probes, seen = [], set()
        for row, layer, a, k, out in calls:
            lines = self.user_code_range(type(layer).call)
            if lines is None or id(layer) in seen or not a:
                continue
            seen.add(id(layer))
            x = a[0]
            probe = {"layer": row["path"], "type": row["type"], "lines": lines}
            try:
                # fresh inputs of the recorded shape: the recorded one may be a symbolic tensor
                # traced while the model was built
                dtype = tf.as_dtype(getattr(x.dtype, "name", x.dtype) if not isinstance(x.dtype, str) else x.dtype)
                if not dtype.is_floating:
                    continue
                shape = [2 if d is None else int(d) for d in x.shape]
                with tf.device(self.tf_device):
                    x1 = tf.random.normal(shape, dtype=dtype)
                    first = layer(x1)
                    second = layer(x1 + tf.random.normal(shape, dtype=dtype) + 1.0)
                probe["unchanged"] = bool(_same_tf(tf, first, second))
            except Exception as exc:  # noqa: BLE001
                probe["error"] = f"{type(exc).__name__}: {ANSI.sub('', str(exc))}"[:500]
            probes.append(probe)
        return probes

    def keras_method(self, unit: dict, model, scope) -> None:
        """model.fit(x, y) & co.: one forward pass on the first batch, the compiled loss, gradients."""
        site = unit["call"]
        method = site["method"]
        self.called_models.add(id(model))
        record_base = {"line": unit["line"], "text": site["text"], "model": site["func"]["code"], "method": method}
        try:
            args = [self.eval_expr(a, scope.ns) for a in site["args"]]
            kwargs = {k: self.eval_expr(e, scope.ns) for k, e in site["kwargs"].items()}
            x = kwargs.get("x", args[0] if args else None)
            y = kwargs.get("y", args[1] if len(args) > 1 else None)
            input_error = None
        except Exception as exc:  # noqa: BLE001
            input_error = self.error_info(exc)
            x = y = None
            kwargs = {}
        if x is not None and hasattr(x, "take") and hasattr(x, "element_spec"):  # a tf.data.Dataset
            batch = next(iter(x))
            x, y = (batch[0], batch[1]) if isinstance(batch, (tuple, list)) and len(batch) > 1 else (batch, None)
        elif x is not None:
            size = kwargs.get("batch_size") if method in ("fit", "evaluate", "predict") else None
            size = size or (32 if method in ("fit", "evaluate", "predict") else None)
            if size:
                x = _take(x, size)
                y = _take(y, size) if y is not None else None
            if _sample_count(x) is not None and y is not None and _sample_count(y) is not None \
                    and _sample_count(x) != _sample_count(y) and method in ("fit", "evaluate"):
                pass  # Keras reports this itself below when it converts the data
        synthesized = None
        if x is None:
            spec, how = self.guess_input(model)
            if spec is None:
                self.emit("call", id=self.new_id(), kind="forward", status="skipped", input_error=input_error,
                          reason="its input could not be built", **record_base)
                return
            x = self.make_input(spec)
            synthesized = f"{list(spec['shape'])} from {how}"
            y = None
        fake_unit = dict(unit, call=dict(site, target=None))
        record = self.run_forward(fake_unit, model, scope, synthesized=synthesized, args=[x])
        if input_error is not None:
            record["input_error"] = input_error
        if method in ("fit", "train_on_batch", "evaluate", "test_on_batch") and record["status"] == "ok":
            loss_fn = self.keras_compiled_loss(model)
            if loss_fn is None:
                self.emit("call", id=self.new_id(), kind="loss", status="skipped", forward=record["id"],
                          reason="the model has no compiled loss", **record_base)
            elif y is None:
                self.emit("call", id=self.new_id(), kind="loss", status="skipped", forward=record["id"],
                          reason="no targets", **record_base)
            else:
                _, out = scope.forward_state[record["id"]]
                self.loss_and_gradients(
                    {"id": self.new_id(), "kind": "loss", "forward": record["id"], **record_base},
                    loss_fn, [y, out], {}, 0, scope, record["id"], keras_order=True,
                )

    def keras_compiled_loss(self, model):
        loss = getattr(model, "loss", None)
        if loss is None:
            return None
        if isinstance(loss, str):
            return self.keras.losses.get(loss)
        if isinstance(loss, (list, tuple, dict)):
            return None
        return loss

    # -- losses and gradients --------------------------------------------------------------------

    def run_loss(self, unit: dict, callee, scope) -> None:
        site = unit["call"]
        uses = [set(a["names"]) for a in site["args"]]
        fwd_record = None
        for names in uses:
            for name in names & scope.outputs.keys():
                fwd_record = scope.outputs[name]
        record = {"id": self.new_id(), "kind": "loss", "line": unit["line"], "text": site["text"],
                  "forward": fwd_record["id"]}
        code = getattr(callee, "forward", callee)
        record["lines"] = self.user_code_range(getattr(code, "__func__", code))
        try:
            args = [self.eval_expr(a, scope.ns) for a in site["args"]]
            kwargs = {k: self.eval_expr(e, scope.ns) for k, e in site["kwargs"].items()}
        except Exception as exc:  # noqa: BLE001
            record.update(status="error", error=self.error_info(exc))
            self.emit("call", **record)
            return
        target_index = next((i for i, names in enumerate(uses[: len(args)]) if not names & scope.outputs.keys()), None)
        keras_order = self.tf is not None and fwd_record["id"] in scope.tapes
        loss = self.loss_and_gradients(record, callee, args, kwargs, target_index, scope, fwd_record["id"],
                                       keras_order=keras_order)
        if loss is not None:
            self.bind_target(unit, scope, loss, None)

    def loss_and_gradients(self, record, fn, args, kwargs, target_index, scope, fwd_id, keras_order=False):
        model, out = scope.forward_state.get(fwd_id, (None, None))
        tape = scope.tapes.pop(fwd_id, None)
        if tape is not None:
            tape._push_tape()
        try:
            loss = fn(*args, **kwargs)
            if keras_order and self.tf is not None and len(getattr(loss, "shape", ())) > 0:
                loss = self.tf.reduce_mean(loss)
                record["note"] = "per-sample losses averaged, as compile() does"
        except Exception as exc:  # noqa: BLE001
            if tape is not None:
                tape._pop_tape()
            record.update(status="error", error=self.error_info(exc))
            self.emit("call", **record)
            return None
        if tape is not None:
            tape._pop_tape()
        record["status"] = "ok"
        record["loss"] = self.describe(loss)
        record["value"] = self.scalar(loss)
        if record["value"] is not None and not math.isfinite(record["value"]):
            record["nonfinite_loss"] = True
        started = time.perf_counter()
        if target_index is not None:
            record["target_check"] = self.target_check(fn, args, kwargs, target_index, loss)
        record["target_check_seconds"] = round(time.perf_counter() - started, 4)
        started = time.perf_counter()
        if self.torch is not None and isinstance(loss, self.torch.Tensor) and model is not None and self.is_torch_module(model):
            record["gradients"] = self.torch_gradients(model, loss)
        elif tape is not None and model is not None:
            record["gradients"] = self.keras_gradients(model, loss, tape)
        record["backward_seconds"] = round(time.perf_counter() - started, 4)
        self.emit("call", **record)
        return loss

    def scalar(self, value):
        try:
            if self.torch is not None and isinstance(value, self.torch.Tensor):
                if value.device.type == "meta" or value.numel() != 1:
                    return None
                return float(value.detach().float().cpu())
            if self.tf is not None and hasattr(value, "numpy"):
                arr = value.numpy()
                return float(arr.reshape(-1)[0]) if getattr(arr, "size", 1) == 1 else None
        except Exception:  # noqa: BLE001
            return None
        return None

    def perturbed(self, target) -> list:
        """Other targets of the same shape and dtype: shuffled along the batch, and changed values."""
        out = []
        if self.torch is not None and isinstance(target, self.torch.Tensor):
            torch = self.torch
            if target.device.type == "meta" or target.numel() == 0:
                return out
            if target.dim() > 0 and target.shape[0] > 1:
                out.append(target[torch.randperm(target.shape[0], device=target.device)])
            if target.is_floating_point():
                scale = float(target.abs().max()) + 1.0
                out.append(target + scale * (torch.rand_like(target) + 0.5))
            elif target.dtype == torch.bool:
                out.append(~target)
            elif int(target.max()) > 0:
                out.append((target + 1) % (int(target.max()) + 1))  # stays within the label range
            return [t for t in out if not torch.equal(t, target)]
        if self.tf is not None:
            import numpy as np

            try:
                arr = np.asarray(target.numpy() if hasattr(target, "numpy") else target)
            except Exception:  # noqa: BLE001
                return out
            if arr.size == 0:
                return out
            if arr.ndim > 0 and arr.shape[0] > 1:
                out.append(arr[np.random.permutation(arr.shape[0])])
            if arr.dtype.kind == "f":
                scale = float(np.abs(arr).max()) + 1.0
                out.append((arr + scale * (np.random.random_sample(arr.shape) + 0.5)).astype(arr.dtype))
            elif arr.dtype.kind == "b":
                out.append(~arr)
            elif arr.dtype.kind in "iu" and arr.max() > 0:
                out.append(((arr + 1) % (arr.max() + 1)).astype(arr.dtype))
            return [t for t in out if not np.array_equal(t, arr)]
        return out

    def target_check(self, fn, args, kwargs, index, loss) -> dict:
        """Does the loss change when its targets change (shuffled, or other values)? (TL301)"""
        before = self.scalar(loss)
        if before is None:
            return {"done": False, "reason": "the loss is not a scalar value on this device"}
        afters = []
        for changed in self.perturbed(args[index]):
            new_args = list(args)
            new_args[index] = changed
            try:
                if self.torch is not None:
                    with self.torch.no_grad():
                        value = fn(*new_args, **kwargs)
                else:
                    value = fn(*new_args, **kwargs)
                if self.tf is not None and len(getattr(value, "shape", ())) > 0 and not self.is_torch_tensor(value):
                    value = self.tf.reduce_mean(value)
                after = self.scalar(value)
            except Exception:  # noqa: BLE001 - e.g. a label out of range: try the next change
                continue
            if after is not None:
                afters.append(after)
        if not afters:
            return {"done": False, "reason": "the targets could not be changed"}
        changed = [a for a in afters if not (a == before or (math.isnan(a) and math.isnan(before)))]
        return {"done": True, "unchanged": not changed, "before": before, "after": (changed or afters)[0]}

    def is_torch_tensor(self, value) -> bool:
        return self.torch is not None and isinstance(value, self.torch.Tensor)

    def torch_gradients(self, model, loss) -> dict:
        torch = self.torch
        params = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
        facts = {"parameters": len(params)}
        if not loss.requires_grad:
            facts["backward"] = "skipped: the loss does not require grad (no path to the parameters)"
            facts["no_grad"] = [n for n, _ in params]
            return facts
        for _, p in params:
            p.grad = None
        try:
            if loss.dim() == 0 or loss.numel() == 1:
                loss.backward()
            else:
                loss.sum().backward()
                facts["note"] = f"the loss has shape {list(loss.shape)}; backward ran on its sum"
        except Exception as exc:  # noqa: BLE001
            facts["backward_error"] = self.error_info(exc)
            return facts
        facts["no_grad"] = [n for n, p in params if p.grad is None]
        if self.device != "meta":
            facts["nonfinite"] = [n for n, p in params if p.grad is not None and not bool(torch.isfinite(p.grad).all())]
            facts["zero"] = [n for n, p in params if p.grad is not None and not bool(p.grad.any())]
        for _, p in params:
            p.grad = None  # leave the model as it was: no step, no accumulated gradients
        return facts

    def keras_gradients(self, model, loss, tape) -> dict:
        tf = self.tf
        variables = list(model.trainable_variables)
        facts = {"parameters": len(variables)}
        try:
            grads = tape.gradient(loss, variables)
        except Exception as exc:  # noqa: BLE001
            facts["backward_error"] = self.error_info(exc)
            return facts
        names = [getattr(v, "path", None) or v.name for v in variables]
        facts["no_grad"] = [n for n, g in zip(names, grads) if g is None]
        facts["nonfinite"] = [n for n, g in zip(names, grads)
                              if g is not None and not bool(tf.reduce_all(tf.math.is_finite(tf.convert_to_tensor(g))))]
        facts["zero"] = [n for n, g in zip(names, grads)
                         if g is not None and not bool(tf.reduce_any(tf.not_equal(tf.convert_to_tensor(g), 0)))]
        return facts

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
            if spec is None:
                self.emit("call", id=self.new_id(), kind="forward", line=line, text=unit["call"]["text"], model=name,
                          status="skipped", reason=f"no call of `{name}` in the file and {how}: give --input {name}=SHAPE")
                continue
            self.phase("call", line)
            self.run_forward(unit, model, Scope(self.top_ns, top=True), synthesized=f"{list(spec['shape'])} from {how}",
                             args=[self.make_input(spec)])

    # -- main ------------------------------------------------------------------------------------

    def run(self) -> None:
        self.emit("start", python=sys.executable, pid=os.getpid())
        if not self.import_frameworks() or not self.choose_device():
            return
        folder = os.path.dirname(os.path.abspath(self.path))
        sys.path.insert(0, folder)
        self.top_ns = {"__name__": "__tensorlint_shapecheck__", "__file__": self.path, "__builtins__": builtins}
        scope = Scope(self.top_ns, top=True)
        if self.torch is not None and self.device == "meta":
            with self.torch.device("meta"):
                self.run_units(self.plan["units"], scope)
                if not self.stopped and self.plan.get("guess_inputs", True):
                    self.uncalled_models()
        else:
            self.run_units(self.plan["units"], scope)
            if not self.stopped and self.plan.get("guess_inputs", True):
                self.uncalled_models()
        scope.close()
        self.emit("done")


class Scope:
    """A namespace the replay runs in: the module's, or a loop body's copy of it."""

    def __init__(self, ns: dict, top: bool = False) -> None:
        self.ns = ns
        self.top = top
        self.outputs: dict[str, dict] = {}  # name -> forward record it holds the output of
        self.failed: dict[str, dict] = {}  # name -> why it has no value
        self.forward_state: dict[int, tuple] = {}
        self.tapes: dict[int, object] = {}

    def child(self) -> "Scope":
        inner = Scope(dict(self.ns))
        inner.outputs = dict(self.outputs)
        inner.failed = dict(self.failed)
        inner.forward_state = self.forward_state
        inner.tapes = self.tapes
        return inner

    def forget(self, name: str) -> None:
        self.outputs.pop(name, None)
        self.failed.pop(name, None)

    def close(self) -> None:
        self.tapes.clear()


def _same(torch, a, b) -> bool:
    if isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor):
        return a.shape == b.shape and bool(torch.equal(a, b))
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)) and len(a) == len(b):
        return all(_same(torch, x, y) for x, y in zip(a, b))
    return False


def _same_tf(tf, a, b) -> bool:
    try:
        a, b = tf.convert_to_tensor(a), tf.convert_to_tensor(b)
    except Exception:  # noqa: BLE001
        return False
    return a.shape == b.shape and bool(tf.reduce_all(tf.equal(a, b)))


def _take(value, n: int):
    try:
        if hasattr(value, "shape") and len(value.shape) > 0 and value.shape[0] is not None and value.shape[0] > n:
            return value[:n]
        if isinstance(value, list) and len(value) > n:
            return value[:n]
    except Exception:  # noqa: BLE001
        pass
    return value


def _sample_count(value):
    try:
        return int(value.shape[0])
    except Exception:  # noqa: BLE001
        return None


def apply_limits(plan: dict) -> None:
    try:
        import resource
    except ImportError:  # not on POSIX: the parent's timeout still applies
        return
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        pass
    mb = plan.get("memory_mb")
    if mb:
        limit = int(mb) * 1024 * 1024
        for name in ("RLIMIT_DATA", "RLIMIT_AS") if plan.get("limit_address_space") else ("RLIMIT_DATA",):
            which = getattr(resource, name, None)
            if which is None:
                continue
            try:
                soft, hard = resource.getrlimit(which)
                if hard != resource.RLIM_INFINITY:
                    limit = min(limit, hard)
                resource.setrlimit(which, (limit, hard))
            except (ValueError, OSError):
                pass


def main(argv: list[str]) -> int:
    plan_path, events_path = argv[1], argv[2]
    with open(plan_path, encoding="utf-8") as f:
        plan = json.load(f)
    apply_limits(plan)
    crash_log = open(plan["crash_log"], "w")  # noqa: SIM115 - stays open for faulthandler
    faulthandler.enable(file=crash_log, all_threads=False)
    if plan.get("watchdog_s"):
        faulthandler.dump_traceback_later(plan["watchdog_s"], exit=True, file=crash_log)
    with open(events_path, "a", encoding="utf-8") as events:
        driver = Driver(plan, events)
        try:
            driver.run()
        except MemoryError:
            driver.emit("fatal", message="out of memory (the memory limit was reached)")
            return 4
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
