"""Losses on a model's output: the value, whether it follows the targets, and the gradients."""
from __future__ import annotations

import math
import re
import time

from .keras_values import categorical_rows, keras_loss_name, unreachable_targets
from .output_axes import place_extra_axis
from .stubs import StubValueError, describe, reaching, stub_in

# PyTorch's losses that broadcast an input and a target of different sizes, and warn
ELEMENTWISE = ("mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss")
ELEMENTWISE_CLASSES = ("MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss")
BINARY_LOSS = re.compile(r"binary_?cross_?entropy|\bBCE(WithLogits)?Loss\b|binary_focal", re.I)


class Losses:
    # -- losses and gradients --------------------------------------------------------------------

    def run_loss(self, unit: dict, callee, scope) -> None:
        site = unit["call"]
        # positional arguments by index, keyword ones (`loss_fn(pred=out, target=y)`) by name
        uses = {i: set(a["names"]) for i, a in enumerate(site["args"])}
        uses.update({k: set(e["names"]) for k, e in site["kwargs"].items()})
        fwd_record = None
        for names in uses.values():
            for name in names & scope.outputs.keys():
                fwd_record = scope.outputs[name]
        record = {"id": self.new_id(), "kind": "loss", "line": unit["line"], "text": site["text"],
                  "forward": fwd_record["id"], "forward_line": fwd_record.get("line")}
        code = getattr(callee, "forward", callee)
        record["lines"] = self.user_code_range(getattr(code, "__func__", code))
        if site.get("differentiated") is False:
            record["metric"] = True  # the program never differentiates its value (`acc = accuracy(out, y)`)
        if self.torch is not None and not self.torch.is_grad_enabled():
            # computed under `torch.no_grad()` or `inference_mode()` (an evaluation): nothing of it
            # is differentiated here, whatever the program does with the same name elsewhere
            record["metric"] = record["grad_off"] = True
        elif site.get("summed"):
            # `loss += criterion(out, y)`, `loss = loss_a + loss_b`: what trains is the sum, whose
            # gradients this one term's are not (a layer only another term reaches gets none here)
            record["term"] = True
        if fwd_record.get("synthesized_input"):
            # the model's output on an input the check made up: a loss that fails on it (a batch
            # size that differs from the targets') fails for the check's doing
            record["synthesized_input"] = f"the output at line {fwd_record.get('line')} of {fwd_record['synthesized_input']}"
        try:
            args = [self.eval_expr(a, scope.ns) for a in site["args"]]
            kwargs = {k: self.eval_expr(e, scope.ns) for k, e in site["kwargs"].items()}
        except Exception as exc:  # noqa: BLE001
            record.update(status="error", error=self.error_info(exc))
            self.emit("call", **record)
            return
        if self.torch is not None and self.device not in ("cpu", "meta"):
            # the check moved the model and its inputs to the GPU: the targets the program left
            # on the CPU follow them, or the loss would fail on the check's doing, not the user's
            args, kwargs = self.to_device(args), self.to_device(kwargs)
        target_index = next((i for i, names in uses.items() if names and not names & scope.outputs.keys()), None)
        target_code = (site["args"][target_index] if isinstance(target_index, int) else site["kwargs"].get(target_index, {})) \
            if target_index is not None else {}
        if target_index is not None and self.output_source(uses[target_index], scope, target_code.get("code")) == fwd_record["id"]:
            # `loss_fn(logits, logits.softmax(1).argmax(1))`: the targets are the model's own predictions
            output = next((args[i] if isinstance(i, int) else kwargs[i] for i, names in uses.items()
                           if names & scope.outputs.keys()), None)
            target = args[target_index] if isinstance(target_index, int) else kwargs[target_index]
            if self.predictions_of(output, target):
                record["targets_from_output"] = True
        keras_order = self.tf is not None and (fwd_record["id"] in scope.tapes or fwd_record["id"] in scope.untaped)
        stub = stub_in([*args, *kwargs.values()])
        if stub is not None:  # targets (or weights) from a module the check could not import
            record.update(status="error", error=self.error_info(StubValueError(
                f"the loss is given {describe(stub)}, which the check cannot import: it was not computed")))
            self.emit("call", **record)
            return
        with reaching():
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
            if keras_order and fwd_id in self.forward_leaves and len(args) == 2:  # an axis a layer put in the output
                place_extra_axis(record["error"], *self.forward_leaves[fwd_id], *args)
            self.emit("call", **record)
            return None
        if tape is not None:
            tape._pop_tape()
        record["status"] = "ok"
        record["loss"] = self.describe(loss)
        if self.torch is not None and elementwise(self.torch, fn) and len(args) >= 2:
            # PyTorch's elementwise losses raise LossBroadcastError (broadcasts.py) on a crossed
            # broadcast: that this one ran says its input and target did not cross
            record["elementwise_operands"] = [self.describe(args[0]), self.describe(args[1])]
        record["value"] = self.scalar(loss)
        if record["value"] is not None and not math.isfinite(record["value"]):
            record["nonfinite_loss"] = True
        # gradients first: a changed target that a loss rejects on the GPU (a device-side assert)
        # leaves the device unusable for everything after it
        started = time.perf_counter()
        if record.get("term"):
            pass
        elif self.torch is not None and isinstance(loss, self.torch.Tensor) and model is not None and self.is_torch_module(model):
            record["gradients"] = self.torch_gradients(model, loss)
        elif tape is not None and model is not None:
            record["gradients"] = self.keras_gradients(model, loss, tape)
        elif fwd_id in scope.untaped and model is not None:
            names = [getattr(v, "path", None) or v.name for v in model.trainable_variables]
            record["gradients"] = {"parameters": len(names), "no_grad": names,
                                   "note": f"the forward pass (line {record.get('forward_line')}) runs outside every "
                                           "tf.GradientTape of the program: its tape records nothing to differentiate"}
        record["backward_seconds"] = round(time.perf_counter() - started, 4)
        started = time.perf_counter()
        if target_index is not None:
            target = args[target_index] if isinstance(target_index, int) else kwargs[target_index]
            outside = self.targets_outside(fn, target, model)
            if outside and outside.get("zero_rows") and (record.pop("weighted", False) or "sample_weight" in kwargs
                                                         or getattr(out, "_keras_mask", None) is not None):
                outside = None  # zero rows under a mask or sample weights: the program weighs them itself
            if outside:
                record["target_range"] = outside
            record["target_check"] = self.target_check(fn, args, kwargs, target_index, loss)
        record["target_check_seconds"] = round(time.perf_counter() - started, 4)
        self.emit("call", **record)
        return loss

    def predictions_of(self, output, target) -> bool:
        """Are the targets the output's own predicted labels (argmax over the last axis, or the
        output thresholded, rounded or copied)? They were computed from the output's values (not
        its shape: see Replay.output_source); this says they are its predictions."""
        import numpy as np

        def array(v):
            if self.torch is not None and isinstance(v, self.torch.Tensor):
                return None if v.device.type == "meta" else v.detach().float().cpu().numpy()
            try:
                return np.asarray(v.numpy() if hasattr(v, "numpy") else v, dtype=float)
            except Exception:  # noqa: BLE001
                return None

        out, y = array(output), array(target)
        if out is None or y is None or y.size < 4:
            return False
        made = []
        if out.ndim >= 1 and out.shape[-1] > 1:
            made.append(out.argmax(axis=-1))
        with np.errstate(over="ignore"):
            made += [out, np.round(1 / (1 + np.exp(-out))), (out > 0).astype(float), (out > 0.5).astype(float), np.round(out)]
        return any(m.shape == y.shape and np.array_equal(m, y) for m in made)

    def targets_outside(self, fn, target, model=None) -> dict | None:
        """Binary cross-entropy compares probabilities: targets outside [0, 1] (class ids 0-9, or
        labels rescaled to [-1, 1]) are a labelling bug the loss computes through silently; so are
        rows that are no distribution for Keras's categorical cross-entropy, and regression targets
        the model's output activation never reaches (keras_values)."""
        names = " ".join(str(x) for x in (getattr(fn, "name", ""), getattr(fn, "__name__", ""), type(fn).__name__,
                                          getattr(getattr(fn, "fn", None), "__name__", "")))
        binary = BINARY_LOSS.search(names)
        if not binary and not keras_loss_name(fn):
            return None
        try:
            import numpy as np

            if self.torch is not None and isinstance(target, self.torch.Tensor):
                if target.device.type == "meta":
                    return None
                values = target.detach().float().cpu().numpy()
            else:
                values = np.asarray(target.numpy() if hasattr(target, "numpy") else target, dtype=float)
            low, high = float(values.min()), float(values.max())
        except Exception:  # noqa: BLE001 - targets that are not numbers
            return None
        if not binary:
            return categorical_rows(fn, values) or unreachable_targets(fn, values, model)
        if low < 0 or high > 1:
            return {"loss": "binary cross-entropy", "low": low, "high": high}
        return None

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
                low, high = float(target.min()), float(target.max())
                if 0.0 <= low and high <= 1.0:  # probabilities stay probabilities: a loss that
                    # asserts on them (BCE on CUDA) would poison the device; two changes, as a
                    # loss on a constant output reads only the mean, which 1 - y may keep
                    out += [1.0 - target, 0.5 * target]
                else:
                    scale = max(abs(low), abs(high)) + 1.0
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
                if 0.0 <= float(arr.min()) and float(arr.max()) <= 1.0:
                    out += [(1.0 - arr).astype(arr.dtype), (0.5 * arr).astype(arr.dtype)]
                else:
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
        for changed in self.perturbed(args[index] if isinstance(index, int) else kwargs[index]):
            new_args, new_kwargs = list(args), dict(kwargs)
            if isinstance(index, int):
                new_args[index] = changed
            else:
                new_kwargs[index] = changed
            try:
                if self.torch is not None:
                    with self.torch.no_grad():
                        value = fn(*new_args, **new_kwargs)
                else:
                    value = fn(*new_args, **new_kwargs)
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



def elementwise(torch, fn) -> bool:
    """Is fn one of PyTorch's own elementwise losses (functional or module)?"""
    if isinstance(fn, torch.nn.Module):
        return type(fn).__name__ in ELEMENTWISE_CLASSES and type(fn).__module__.startswith("torch.")
    return getattr(fn, "__name__", None) in ELEMENTWISE and str(getattr(fn, "__module__", "")).startswith("torch.")
