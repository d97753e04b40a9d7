"""Calls of a library file's uncalled functions that a static finding says raise whatever the
values (runtime/probes.py): each is called once on made-up arguments, under a time limit, and its
error counts as the program's only when the finding's line raised it itself."""
from __future__ import annotations

import contextlib
import inspect
import re
import signal
import threading
import traceback

# the tensor each parameter without a default of a probed function gets (runtime/probes.py), and
# how long one such call may take (a loop that waits on what the made-up values never give)
PROBE_ARGUMENT = (2, 8, 24)
PROBE_SECONDS = 20


class ProbeTimeout(BaseException):
    """A probed call ran past PROBE_SECONDS (a BaseException: the program's `except Exception` must not stop it)."""


@contextlib.contextmanager
def time_limit(seconds: int):
    """Raises ProbeTimeout in the main thread after `seconds`; no limit where SIGALRM is not ours to use."""
    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread() \
            or signal.getsignal(signal.SIGALRM) not in (signal.SIG_DFL, None):
        yield
        return

    def fire(signum, frame):
        raise ProbeTimeout()

    signal.signal(signal.SIGALRM, fire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)


class ProbeCalls:
    def library_probes(self) -> None:
        """The uncalled functions whose line a static finding says raises whatever the values
        (runtime/probes.py), each called once: its parameters without a default get a made-up
        float32 tensor, the others their defaults (a method: on an instance its class's constructor
        builds with its defaults). The error is the program's only when that line raised it itself
        (the innermost frame of the traceback), of the finding's type and words: then no made-up
        value can be its cause. Anything else, error or not, was run on made-up values."""
        module = self.top_ns.get("__name__")
        for probe in self.plan.get("probes") or []:
            name, line, lines = probe.get("name"), probe.get("line"), set(probe.get("lines") or [])
            fn = self.top_ns.get(probe.get("cls") or name)
            if getattr(fn, "__module__", None) != module:
                continue
            built = ""
            if probe.get("cls"):
                if not isinstance(fn, type):
                    continue
                self.phase("call", line)
                project = self.project_call(probe["cls"])
                built = f", on a `{probe['cls']}` built as {project[2]} builds it" if project else ""
                try:
                    # the file's own instance: its constructor's defaults, or its project's values
                    fn = getattr(fn(*project[0], **project[1]) if project else fn(), probe.get("method"))
                except Exception as exc:  # noqa: BLE001 - a class that does not build is not probed
                    err = self.error_info(exc)
                    how = f"built as {project[2]} builds it" if project else "built with its defaults"
                    self.emit("call", id=self.new_id(), kind="function", line=line, text=f"{name}()", model=name,
                              status="skipped", library=True, reason=f"the file calls no model: `{probe['cls']}()`, "
                              f"{how}, failed: {err['type']}: {err['summary']}")
                    continue
            if not inspect.isfunction(fn) and not inspect.ismethod(fn):
                continue
            params = list(probe.get("params") or [])
            made = f"{', '.join(f'{p}=<float32 tensor {list(PROBE_ARGUMENT)}>' for p in params) or 'no argument'}"
            record = {"kind": "function", "line": line, "text": f"{name}({', '.join(params)})", "model": name,
                      "library": True, "probe": True}
            self.phase("call", line)
            try:
                args = {p: self.probe_argument(probe.get("framework")) for p in params}
            except Exception:  # noqa: BLE001 - no framework to make a tensor with: nothing to probe
                continue
            try:
                with time_limit(PROBE_SECONDS):
                    fn(**args)
                record["status"] = "ok"
            except ProbeTimeout:
                record["status"] = "skipped"
                record["reason"] = (f"the file calls no model: `{name}`, called on arguments the check made up ({made}), "
                                    f"did not return within {PROBE_SECONDS} s")
                self.emit("call", id=self.new_id(), **record)
                continue
            except Exception as exc:  # noqa: BLE001 - whatever the function raises is judged below
                record["status"] = "error"
                record["error"] = self.error_info(exc)
                innermost = traceback.extract_tb(exc.__traceback__)[-1:]
                value_free = bool(innermost) and innermost[0].filename == self.path and innermost[0].lineno in lines \
                    and type(exc).__name__ == probe.get("error") and re.search(probe.get("words") or "", str(exc)) is not None
                if value_free:
                    record["made_up_arguments"] = made
                    self.emit("note", message=f"the file calls no model: `{name}` (line {line}), which nothing in the file "
                              f"calls, was called with made-up arguments ({made}) and its defaults{built} to reach line "
                              f"{innermost[0].lineno}, where the static analysis finds an error no value avoids "
                              f"({probe.get('code')}); that line raised it itself (not a function it called), so it does "
                              "not depend on the arguments the check made up")
                    self.emit("call", id=self.new_id(), **record)
                    continue
            record["guessed_input"] = True
            record["synthesized_input"] = f"made-up arguments: {made}{built}"
            self.emit("call", id=self.new_id(), **record)

    def probe_argument(self, framework: str | None):
        """A made-up float32 tensor of PROBE_ARGUMENT, of the framework the probed finding is about
        (None: of either, PyTorch's first)."""
        if framework in ("torch", None) and self.torch is not None:
            return self.torch.randn(*PROBE_ARGUMENT)
        if framework in ("tensorflow", None) and self.tf is not None:
            return self.tf.random.normal(PROBE_ARGUMENT)
        raise RuntimeError(f"no {framework} to make an argument with")

    def project_call(self, cls: str):
        """(args, kwargs, where) of the call of `cls` another module of the project writes with
        values its text fixes (runtime/project_calls.py), or None."""
        import ast

        found = (self.plan.get("project_ctors") or {}).get(cls)
        if not found:
            return None
        try:
            return ([ast.literal_eval(a) for a in found.get("args") or []],
                    {k: ast.literal_eval(v) for k, v in (found.get("kwargs") or {}).items()}, f"`{found.get('where')}`")
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return None
