"""Whose failure is it: the checked program's (a bug the run reproduced) or the check's own (a
module, a file or the network it does not have, a statement it could not replay)?

A failure is the user's only when nothing the check made up or could not provide is involved:
the statement read no name a failed or synthesized statement left behind, the exception is one
the frameworks raise for wrong shapes, dtypes or values, and it does not read like an API that
changed between versions. Anything else is "could not check", with the reason.
"""
from __future__ import annotations

import os
import re
import sys
import traceback

# raised by the frameworks (or their C++ kernels) for wrong shapes, dtypes and values
USER_TYPES = frozenset({
    "RuntimeError", "ValueError", "IndexError", "InvalidArgumentError", "UnimplementedError",
    "NotImplementedError",
})
# what the environment of the check lacks, not what the program gets wrong
ENVIRONMENT_TYPES = frozenset({
    "ImportError", "ModuleNotFoundError", "FileNotFoundError", "NotADirectoryError", "PermissionError",
    "OSError", "IOError", "URLError", "HTTPError", "ConnectionError", "ConnectionRefusedError", "TimeoutError",
    "socket.gaierror", "gaierror", "EOFError", "NameError", "UnboundLocalError", "SystemExit", "KeyboardInterrupt",
})
# messages of APIs that changed between versions (Keras 2 code under Keras 3, older torch)
API_CHANGED = re.compile(
    r"unexpected keyword|not recognized|unrecognized keyword|no longer|deprecated|has been removed|"
    r"is not a valid argument|could not interpret|unknown (?:layer|loss|optimizer|activation|metric)|"
    r"has no attribute|cannot import|were removed|legacy|only supported in|is not supported in keras 3|"
    r"not supported anymore|invalid keyword|"
    # Keras 3 saves and checkpoints only to `.keras` (or `.h5`) files; Keras 2 took any name (`weights.hdf5`)
    r"must end in `\.keras`|invalid filepath extension for saving",
    re.I,
)
# what Keras 3 refuses of Keras 2 code that builds a model, also when a model's call raises it:
# Keras 2 found a Lambda's output shape by running it (Keras 3 asks for `output_shape`), and
# wrapped TensorFlow functions called on symbolic inputs in layers (in `call`, `compute_mask`...)
KERAS3_REFUSES = re.compile(r"could not automatically infer the shape of the Lambda|"
                            r"KerasTensor cannot be used as input to a TensorFlow function", re.I)
# a file that is not there, in the words of libraries that raise ValueError or their own errors for it
MISSING_FILE = re.compile(r"\bfile not found\b|no such file or directory|unable to open file|not an accessible|"
                          # a TF1 checkpoint the program saved in a step the check left out
                          r"is not a valid checkpoint|Failed to find any matching files for", re.I)
# a data set with no samples: what it lists (an image folder, a glob of files) is not here
EMPTY_DATA = re.compile(r"num_samples should be a positive integer value, but got num_samples=0|"
                        # Keras's text, image and audio data sets of a folder
                        r"No (?:training |validation )?(?:text files|images|audio files) found in directory")
EMPTY_LOOP = "the loop's iterable is empty"  # what the replay raises where a loop it enters has no first item
# what the CPU the check runs on cannot do that a GPU can (a channels-first convolution)
DEVICE_LIMIT = re.compile(r"only supports the NHWC tensor format on the CPU|only supports NHWC", re.I)
# a positive integer refused for its type, not its value
STRICTER_TYPE = re.compile(r"expected a positive integer\. Received: \w+=\+?[1-9]\d*\s*$")
# a fractional number where a framework needs a count (`nn.Conv2d(3, out_planes / 4, 1)` under Python 3)
FLOAT_FOR_INT = re.compile(r"tuple of ints|cannot be interpreted as an integer", re.I)
FRAMEWORK_DIRS = (os.sep + "torch" + os.sep, os.sep + "tensorflow" + os.sep, os.sep + "keras" + os.sep,
                  os.sep + "numpy" + os.sep, os.sep + "tf_keras" + os.sep)


# what a launcher or a machine gives the program, which the check's one process on the CPU lacks:
# a process group (torchrun sets the variables `env://` reads), a CUDA device to select
TORCH_DISTRIBUTED = os.sep + os.path.join("torch", "distributed") + os.sep
TORCH_CUDA = os.sep + os.path.join("torch", "cuda") + os.sep

# the stand-ins for missing libraries (torchvision's transforms...)
STAND_INS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "standins.py")

META_LIMIT = re.compile(r"\bmeta\b", re.I)

# the made-up values the check gave the program's required arguments (driver.py, from the plan):
# paths that do not exist, for arguments that name a file or folder
PLACEHOLDERS: list[str] = []


def meta_limit(exc: BaseException) -> bool:
    """A value-level operation the meta device cannot do (`.item()`, `.numpy()`, printing)."""
    return bool(META_LIMIT.search(str(exc)))


def blame(exc: BaseException, path: str, tainted: dict | None, meta: bool = False) -> tuple[str, str]:
    """("user" | "check", why) for an exception raised while running a statement of `path`.

    `tainted`: the failed or synthesized names the statement read, name -> their record."""
    kind = type(exc).__name__
    if tainted:
        name = sorted(tainted)[0]
        why = tainted[name]
        shown = f"the file {name[6:-1]}" if name.startswith("<file ") else f"`{name}`"  # file_flow.py's names of files
        return "check", f"it needs {shown}, which {why.get('reason', 'is not available')} (line {why.get('line')})"
    made_up = next((p for p in PLACEHOLDERS if p in str(exc) or p == str(getattr(exc, "filename", ""))), None)
    if made_up is not None:
        return "check", (f"it reads `{made_up}`, the path the check gave a required argument of the program: "
                         "a file or folder that is not here")
    launched = _launcher_or_gpu(exc)
    if launched:
        return "check", launched
    download = _download(exc)
    if download:
        return "check", download
    if kind in ENVIRONMENT_TYPES or isinstance(exc, (ImportError, OSError, NameError, EOFError)):
        return "check", _environment_reason(exc)
    if meta and meta_limit(exc):
        return "check", "the meta device has shapes but no values"
    if kind == "LossBroadcastError":  # a loss PyTorch computes through a broadcast it warns about (broadcasts.py)
        return "user", ""
    if kind == "TypeError" and FLOAT_FOR_INT.search(str(exc)) and _in_framework(exc):
        return "user", ""  # the program gave a framework a float where it takes an int
    if kind not in USER_TYPES:
        return "check", f"{kind} while replaying the line"
    if MISSING_FILE.search(str(exc)):
        # a file the program wrote in a step the check leaves out (`model.save(...)`), or data it lacks
        return "check", f"a file the program reads is not here: {str(exc).splitlines()[0][:160]}"
    if EMPTY_DATA.search(str(exc)):
        return "check", "the data set is empty: the files it lists are not here"
    if str(exc) == EMPTY_LOOP:  # the replay's own: the program skips an empty loop without an error
        return "check", "the loop goes through nothing here (the data it lists is not here?): its body was not replayed"
    if API_CHANGED.search(str(exc)) or KERAS3_REFUSES.search(str(exc)):
        return "check", "an API this version of the framework changed"
    if DEVICE_LIMIT.search(str(exc)):
        return "check", "the device the check runs on cannot do this (the program was written for a GPU)"
    if STRICTER_TYPE.search(str(exc)):
        # Keras 3 wants a Python int where Keras 2 took a tensor or numpy integer of that value
        return "check", "this version of the framework takes only a Python int here"
    frames = traceback.extract_tb(exc.__traceback__)
    deepest = frames[-1] if frames else None
    if deepest is not None and deepest.filename == path and kind != "RuntimeError":
        # a `raise` of the program itself (it validates its configuration, its arguments...)
        if _raised_here(deepest):
            return "check", "the program raised it itself (its own validation)"
    if deepest is not None and getattr(exc, "tensorlint_made_at", None) and os.path.abspath(deepest.filename) == STAND_INS:
        return "user", ""  # a stand-in's transform raised it on the program's data, as the library itself does
    if getattr(exc, "tensorlint_program_transform", False) and getattr(exc, "tensorlint_made_at", None):
        return "user", ""  # the program's own torchvision transforms on a sample of the real set's shape (vision_data.py)
    if deepest is not None and deepest.filename not in (path,) and not any(d in deepest.filename for d in FRAMEWORK_DIRS):
        if "site-packages" in deepest.filename or "dist-packages" in deepest.filename:
            return "check", "raised inside a third-party library"
    return "user", ""


def _launcher_or_gpu(exc: BaseException) -> str | None:
    """Why the error is the check's one process on the CPU, when it is raised inside
    torch.distributed (no process group: the program runs under a launcher) or inside torch.cuda
    on a machine without CUDA (the program selects a GPU); else None."""
    files = [f.filename for f in traceback.extract_tb(exc.__traceback__)]
    if any(TORCH_DISTRIBUTED in f for f in files):
        return ("the program runs as one process of a distributed job, whose process group a launcher "
                "(torchrun) sets up; the check runs it as a single process without one")
    torch = sys.modules.get("torch")
    try:
        gpu = torch is not None and torch.cuda.is_available()
    except Exception:  # noqa: BLE001 - a broken CUDA setup is no GPU either
        gpu = False
    if torch is not None and not gpu and any(TORCH_CUDA in f for f in files):
        return "the program selects a GPU, and the check runs on the CPU"
    return None


# the functions libraries download with (Keras's `get_file`, torchvision's and torch.hub's, Hugging Face's)
DOWNLOADERS = frozenset({"get_file", "urlretrieve", "urlopen", "download_url", "download_and_extract_archive",
                         "download_file_from_google_drive", "download_url_to_file", "load_state_dict_from_url",
                         "hf_hub_download", "snapshot_download", "maybe_download"})
URLLIB = os.sep + "urllib" + os.sep


def _download(exc: BaseException) -> str | None:
    """Why the error is the check's when it is raised inside a library's download (a cache folder
    it cannot make, no network): "a download (`get_file`) ..."; else None. The program's own
    functions of those names do not count."""
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.name in DOWNLOADERS and ("site-packages" in frame.filename or "dist-packages" in frame.filename
                                          or URLLIB in frame.filename or any(d in frame.filename for d in FRAMEWORK_DIRS)):
            return f"a download (`{frame.name}`): the check runs without a network, and without a writable cache for it"
    return None


def _in_framework(exc: BaseException) -> bool:
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and any(d in frames[-1].filename for d in FRAMEWORK_DIRS)


def _raised_here(frame) -> bool:
    line = (frame.line or "").strip()
    return line.startswith("raise ") or line.startswith("assert ")


def _environment_reason(exc: BaseException) -> str:
    kind = type(exc).__name__
    if isinstance(exc, ModuleNotFoundError):
        return f"the module `{exc.name}` is neither installed for the check's interpreter nor beside the program"
    if isinstance(exc, ImportError) and "relative import" in str(exc):
        return ("a relative import, and the file's folder is not a package (it has no __init__.py): the modules "
                "beside it that it imports were not given to the check")
    if isinstance(exc, ImportError):
        return f"an import failed: {str(exc).splitlines()[0] if str(exc) else kind}"
    if isinstance(exc, (FileNotFoundError, NotADirectoryError)):
        return f"a file the program reads is not here: {getattr(exc, 'filename', '') or str(exc)}"
    if isinstance(exc, NameError):
        return "a name the replay could not bind"
    if isinstance(exc, OSError):
        return f"the environment of the check (no network, read-only files): {kind}: {str(exc)[:120]}"
    return f"{kind} from the environment of the check"
