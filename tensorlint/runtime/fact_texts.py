"""Texts of the value facts a run finds at a loss: targets a loss or an output layer cannot use."""
from __future__ import annotations


def target_range_text(outside: dict, line: int) -> str:
    if outside.get("zero_rows"):
        return (f"{outside['zero_rows']} of the {outside['rows']} target rows given to {outside['loss']} when line {line} "
                "runs are all zero: each row must be a distribution over the classes, and a sample whose row is zero adds "
                "nothing to the loss")
    if outside.get("activation"):
        low, high = (f"{b:g}" if b is not None else "inf" for b in outside["bounds"])
        made = f" (line {outside['layer_line']})" if outside.get("layer_line") else ""
        return (f"the targets of {outside['loss']} when line {line} runs range from {outside['low']:g} to "
                f"{outside['high']:g}, but the model's output layer {outside.get('layer')}{made} ends in a "
                f"{outside['activation']}, whose values lie in [{low if low != 'inf' else '-inf'}, {high}]: the targets outside that "
                "range are never reached")
    if outside["loss"] == "categorical cross-entropy":
        return (f"the targets of {outside['loss']} must be distributions over the classes (values in [0, 1]), but they "
                f"range from {outside['low']:g} to {outside['high']:g}")
    return f"the targets of {outside['loss']} must lie in [0, 1], but they range from {outside['low']:g} to {outside['high']:g}"


def trains_updated_elsewhere(c: dict) -> str:
    """A TF1 `minimize()` without `var_list` whose loss reaches variables the program also updates
    itself (session.py): what its step moves besides its own network."""
    shared = c["trains_updated_elsewhere"]
    at = ", ".join(str(ln) for ln in shared.get("lines") or []) or "?"
    names = ", ".join(shared["variables"]) + (", ..." if shared["count"] > len(shared["variables"]) else "")
    return (f"minimize() without var_list at line {c.get('line')} trains {shared['count']} variable(s) that the program "
            f"also updates with its own gradients (apply_gradients at line {at}): {names}")
