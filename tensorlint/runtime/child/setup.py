"""The replay's events (what the parent reads) and its setup: the frameworks and the device."""
from __future__ import annotations

import json
import os
import sys
import traceback

from .common import ANSI


class Setup:
    # -- events ----------------------------------------------------------------------------------

    def emit(self, event: str, **data) -> None:
        data["event"] = event
        self.events.write(json.dumps(data, default=str) + "\n")
        self.events.flush()

    def phase(self, what: str, line: int | None = None) -> None:
        self.note_frames(self.current_line)  # what the statement that ran last left in its frames
        self.current_line = line
        self.emit("phase", what=what, line=line)

    def error_info(self, exc: BaseException) -> dict:
        frames = [
            {"line": f.lineno, "function": f.name}
            for f in traceback.extract_tb(exc.__traceback__)
            if f.filename == self.path
        ]
        made_at = getattr(exc, "tensorlint_made_at", None)  # an object of a stand-in, made at a line of the program
        if isinstance(made_at, dict) and made_at.get("line"):
            frames.append(dict(made_at))
        origin = self.object_origin(exc)  # an array of Python objects NumPy made from a frame of mixed columns
        if origin is not None:
            frames.append({"line": origin["line"], "function": "the columns of the frame"})
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
            "summary": (useful or lines or [""])[0] + (f" ({origin['text']})" if origin is not None else ""),
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

    def cuda_failure(self) -> str:
        """Why CUDA could not start, as PyTorch says it (": ..."), or "" when it gives no reason."""
        try:
            self.torch.cuda.init()
        except Exception as exc:  # noqa: BLE001 - the reason is only reported
            return f": {type(exc).__name__}: {str(exc).strip().splitlines()[0][:300]}" if str(exc).strip() else ""
        return ""

    def choose_device(self) -> bool:
        wanted = self.plan.get("device", "auto")
        info = {"requested": wanted}
        if self.torch is not None:
            cuda = bool(self.torch.cuda.is_available())
            if wanted == "cuda" and not cuda:
                self.emit("fatal", message=f"--device cuda: PyTorch ({sys.executable}) sees no CUDA device{self.cuda_failure()}")
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
