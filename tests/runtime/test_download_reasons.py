"""An error raised inside a library's download (Keras's `get_file` making its cache folder on a
read-only file system, torchvision's `download_url` without a network) is the check's, and its
reason says it is a download; the program's own function of such a name, or another library
function, is judged as before."""
from __future__ import annotations

import pytest

from tensorlint.runtime.child.blame import blame

PROGRAM = "/work/project/train.py"


def raised_in(filename: str, function: str, error: str):
    code = compile(f"def {function}():\n    raise {error}\n", filename, "exec")
    ns: dict = {}
    exec(code, ns)
    try:
        ns[function]()
    except BaseException as exc:  # noqa: BLE001
        return exc
    raise AssertionError("nothing raised")


@pytest.mark.parametrize("filename,function,error", [
    ("/venv/lib/python3.12/site-packages/keras/src/utils/file_utils.py", "get_file",
     "OSError(30, 'Read-only file system', '/tmp/.keras')"),
    ("/venv/lib/python3.12/site-packages/keras/src/utils/file_utils.py", "get_file",
     "Exception('URL fetch failure on https://example.org/data.npz: None -- [Errno -3]')"),
    ("/venv/lib/python3.12/site-packages/torchvision/datasets/utils.py", "download_url",
     "RuntimeError('Error downloading mnist.tar.gz')"),
    ("/usr/lib/python3.12/urllib/request.py", "urlretrieve", "ValueError('unknown url type')"),
])
def test_an_error_inside_a_download_is_the_checks_and_says_so(filename, function, error):
    who, why = blame(raised_in(filename, function, error), PROGRAM, None)
    assert who == "check"
    assert why.startswith(f"a download (`{function}`)"), why


@pytest.mark.parametrize("filename,function", [
    (PROGRAM, "get_file"),  # the program's own function of that name
    ("/venv/lib/python3.12/site-packages/torch/nn/functional.py", "linear"),  # not a download
])
def test_other_errors_are_judged_as_before(filename, function):
    who, why = blame(raised_in(filename, function, "ValueError('shapes (2,3) and (4,5) not aligned')"), PROGRAM, None)
    assert who == "user", why
