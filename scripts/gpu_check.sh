#!/usr/bin/env bash
# The runtime shape check on a CUDA machine: its tests with the GPU visible, and its timings.
#
#   bash scripts/gpu_check.sh [PYTHON]
#
# PYTHON (default python3) must import torch with CUDA. tensorlint itself is taken from this
# checkout and installed into a private folder (offline: it needs setuptools there); its own
# dependencies (libcst, pygls, lsprotocol, cattrs) must be importable or given as wheels in the
# folder $TENSORLINT_WHEELS. The sandbox is the default one unless $TENSORLINT_SANDBOX says otherwise.
# Prints the GPU, the test results (tests/runtime: every torch test runs with --device auto,
# which is the GPU there, plus tests/runtime/test_cuda.py) and bench/shapecheck_speed.py's lines.
set -uo pipefail
py=${1:-python3}
cd "$(dirname "$0")/.."
# tensorlint from this checkout, installed (its rules live outside the package folder) with its
# dependencies when a folder of wheels is named in $TENSORLINT_WHEELS
site=$(mktemp -d /tmp/tensorlint-site.XXXXXX)
wheels=()
[ -n "${TENSORLINT_WHEELS:-}" ] && wheels=("$TENSORLINT_WHEELS"/*.whl)
"$py" -m pip install -q --no-deps --no-build-isolation --no-index --no-compile --target "$site" . "${wheels[@]}" || exit 2
export PYTHONPATH=$site${PYTHONPATH:+:$PYTHONPATH}
export TENSORLINT_SHAPECHECK_PYTHON=$(command -v "$py")
export PYTHONUNBUFFERED=1
"$py" -c "import torch, sys; print('torch', torch.__version__, 'cuda', torch.version.cuda, 'gpu', torch.cuda.get_device_name(0) if torch.cuda.is_available() else None); sys.exit(0 if torch.cuda.is_available() else 3)" || { echo "no CUDA device seen by $py"; exit 3; }
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
status=0
xdist=()
"$py" -c "import xdist" 2>/dev/null && xdist=(-n 8)
"$py" -P -m pytest -q -p no:cacheprovider -W ignore::pytest.PytestConfigWarning \
  "${xdist[@]}" --durations=15 tests/runtime || status=1
"$py" -P bench/shapecheck_speed.py --python "$py" --repeat 3 || status=1
exit $status
