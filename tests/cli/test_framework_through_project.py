"""A file that names no deep-learning framework itself but imports a module of its project that
does (a losses module built on the project's functional module, a training script that gets its
model from a builder) is analyzed; a file whose project imports name no framework stays skipped."""
from __future__ import annotations

from pathlib import Path

FUNCTIONAL = (
    "from tensorflow.keras import backend as K\n\n\n"
    "def focal_loss(gt, pr, gamma=2.0, alpha=0.25):\n"
    "    pr = K.clip(pr, K.epsilon(), 1.0 - K.epsilon())\n"
    "    return -K.mean(gt * alpha * K.pow(1 - pr, gamma) * K.log(pr))\n")

LOSSES = (
    "{imports}\n\n\nclass FocalLoss:\n    def __init__(self, alpha=0.25, gamma=2.0):\n"
    "        self.alpha = alpha\n        self.gamma = gamma\n\n    def __call__(self, gt, pr):\n"
    "        return {call}\n")

MODEL = (
    "from tensorflow import keras\n\n\ndef build(n_features=20, n_classes=10):\n"
    "    model = keras.Sequential([keras.Input((n_features,)), keras.layers.Dense(64, activation='relu'),\n"
    "                              keras.layers.Dense(n_classes, activation='softmax')])\n"
    "    model.compile(optimizer='adam', loss='categorical_crossentropy')\n    return model\n")

TRAIN = (
    "import numpy as np\n\nfrom {source} import build\n\n"
    "x = np.random.rand(256, {width})\ny = np.eye(10)[np.random.randint(0, 10, 256)]\n"
    "model = build()\nmodel.fit(x, y, epochs=2)\n")


def files(root: Path, texts: dict) -> Path:
    """Write the `{relative path: text}` files under `root`."""
    for name, text in texts.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def package(call: str) -> dict:
    """`pkg/losses.py` calling `F.focal_loss` of `pkg/base/functional.py`, which the package
    `pkg.base` re-exports (`from .base import functional as F`)."""
    return {"pkg/__init__.py": "", "pkg/base/__init__.py": "from . import functional\n",
            "pkg/base/functional.py": FUNCTIONAL,
            "pkg/losses.py": LOSSES.format(imports="from .base import functional as F", call=call)}


def found(tl, where: Path, *args: str) -> set:
    out = tl("check", "--no-cache", "--output-format", "json", *args, str(where))
    return {(Path(f["filename"]).name, f["location"]["row"], f["code"]) for f in out.json()}


def test_losses_module_of_a_package_built_on_its_functional_module(tl, tmp_path):
    # `from .base import functional as F`: the package re-exports its Keras module
    root = files(tmp_path / "proj", package(call="F.focal_loss(gt, pr, self.alpha, self.gamma)"))
    assert found(tl, root, "--select", "TL008") == {("losses.py", 10, "TL008")}


def test_losses_module_importing_the_function_itself(tl, tmp_path):
    root = files(tmp_path / "proj", {
        "functional.py": FUNCTIONAL,
        "losses.py": LOSSES.format(imports="from functional import focal_loss", call="focal_loss(gt, pr, self.alpha, self.gamma)")})
    assert found(tl, root, "--select", "TL008") == {("losses.py", 10, "TL008")}


def test_arguments_by_keyword_stay_silent(tl, tmp_path):
    root = files(tmp_path / "proj", package(call="F.focal_loss(gt, pr, alpha=self.alpha, gamma=self.gamma)"))
    assert found(tl, root, "--select", "TL008") == set()


def test_training_script_that_gets_its_model_from_the_project(tl, tmp_path):
    root = files(tmp_path / "proj", {"app/__init__.py": "", "app/model.py": MODEL,
                                     "app/train.py": TRAIN.format(source=".model", width=30),
                                     "fit.py": TRAIN.format(source="app.model", width=30)})
    assert found(tl, root) == {("train.py", 8, "TL203"), ("fit.py", 8, "TL203")}
    files(root, {"app/train.py": TRAIN.format(source=".model", width=20), "fit.py": TRAIN.format(source="app.model", width=20)})
    assert found(tl, root) == set()


def test_files_whose_project_imports_name_no_framework_are_skipped(tl, tmp_path):
    # the same wrong width, but the builder is a plain function of another library's style:
    # nothing the program says makes this deep-learning code
    util = "import json\n\n\ndef build():\n    return json.loads('{}')\n"
    root = files(tmp_path / "proj", {"util.py": util, "train.py": TRAIN.format(source="util", width=30),
                                     "report.py": "import os\nfrom util import build\n\nprint(build(), os.sep)\n"})
    assert found(tl, root, "--select", "ALL") == set()


def test_editor_analysis_of_such_a_file(tmp_path):
    from tensorlint.config import Config
    from tensorlint.incremental import IncrementalAnalysis

    root = files(tmp_path / "proj", {"model.py": MODEL, "train.py": TRAIN.format(source="model", width=30)})
    path = root / "train.py"
    got = IncrementalAnalysis().analyze(path.read_text(encoding="utf-8"), str(path), Config())
    assert not got.skipped
    assert [(f.code, f.span.start.line) for f in got.findings] == [("TL203", 8)]
