"""PyTorch: the forward pass with per-layer hooks, meta-device checks, probes, gradients."""
from __future__ import annotations

import time

from .common import TORCH_DTYPE_STRICT, same_value
from .layer_lines import lines_of


class TorchSide:
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
            out = (getattr(model, record["via"]) if record.get("via") else model)(*args, **kwargs)
            record["status"] = "ok"
            record["output"] = self.describe(out)
        except Exception as exc:  # noqa: BLE001 - the user's model failed: that is the finding
            self.forward_failed(record, exc, rows)
        finally:
            for h in handles:
                h.remove()
        record["seconds"] = round(time.perf_counter() - started, 4)
        started = time.perf_counter()
        if record["status"] == "ok" and len(args) == 1 and not kwargs and not record.get("via"):
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
            if not isinstance(in_a, torch.Tensor) or same_value(torch, in_a, in_b):
                continue  # its input did not change: nothing to learn
            probes.append({"layer": row["path"], "type": row["type"], "lines": lines, "unchanged": bool(same_value(torch, out_a, out_b))})
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
                probe["unchanged"] = bool(same_value(torch, a, b))
            except Exception as exc:  # noqa: BLE001
                probe["error"] = f"{type(exc).__name__}: {exc}"[:500]
            finally:
                mod.train(was_training)
            probes.append(probe)
        return probes


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
        made_at = lines_of(params, facts["no_grad"] + facts.get("zero", []))
        if made_at:
            facts["made_at"] = made_at
        for _, p in params:
            p.grad = None  # leave the model as it was: no step, no accumulated gradients
        return facts



def stay_on(torch, device: str, told=None) -> None:
    """Tensors stay on the check's device: on the meta device `.to('cpu')`, `.cpu()`, `.cuda()` and
    `.type(torch.FloatTensor)` would fail copying out of it, and a machine without CUDA cannot
    follow a program that asks for it. Only the dtype change of such a call applies; `told()` is
    called the first time a CUDA request is redirected."""
    tensor = torch.Tensor
    if getattr(tensor, "_tensorlint_stay", None) == device:
        return
    original_to, original_type = tensor.to, tensor.type
    original_cpu, original_cuda = tensor.cpu, tensor.cuda

    def cuda_requested() -> None:
        if told is not None:
            told()

    def wants_cuda(a) -> bool:
        return (isinstance(a, str) and a.startswith("cuda")) or (isinstance(a, torch.device) and a.type == "cuda")

    def to(self, *args, **kwargs):
        if self.device.type == "meta" or any(wants_cuda(a) for a in [*args, kwargs.get("device")]):
            if self.device.type != "meta":
                cuda_requested()
            dtype = kwargs.get("dtype")
            for a in args:
                if isinstance(a, torch.Tensor):
                    dtype = a.dtype
                elif isinstance(a, torch.dtype):
                    dtype = a
            if self.device.type != "meta" and self.device.type != device:
                return original_to(self, device, dtype) if dtype is not None else original_to(self, device)
            return self if dtype is None else original_to(self, dtype)
        return original_to(self, *args, **kwargs)

    def cpu(self, *args, **kwargs):
        return self if self.device.type == "meta" else original_cpu(self, *args, **kwargs)

    def cuda(self, *args, **kwargs):
        if self.device.type == "meta":
            return self
        cuda_requested()
        return original_to(self, device)

    def type_(self, dtype=None, *args, **kwargs):
        if dtype is not None and (self.device.type == "meta" or "cuda" in str(dtype)):
            if isinstance(dtype, str):
                legacy = getattr(torch, dtype.rsplit(".", 1)[-1], None)
                dtype = getattr(legacy, "dtype", None) if legacy is not None else None
                if dtype is None:
                    return original_type(self, *args, **kwargs)
            elif not isinstance(dtype, torch.dtype):
                dtype = getattr(dtype, "dtype", dtype)
            return original_to(self, dtype)
        return original_type(self, dtype, *args, **kwargs)

    tensor.to, tensor.cpu, tensor.cuda, tensor.type = to, cpu, cuda, type_
    tensor._tensorlint_stay = device


def old_iterator_next(torch) -> None:
    """`dataiter.next()` of PyTorch before 1.13: the DataLoader iterator's `__next__` under its old name."""
    try:
        base = torch.utils.data.dataloader._BaseDataLoaderIter
    except AttributeError:
        return
    if not hasattr(base, "next"):
        base.next = base.__next__
