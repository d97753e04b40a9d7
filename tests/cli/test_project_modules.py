"""Rules across the files of a project: a model, a loss or a data helper defined in the
project's own module (tests/projects/*) and misused in the training script that imports it."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

PROJECTS = Path(__file__).resolve().parent.parent / "projects"


def project(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copytree(PROJECTS / name, target)
    return target


def write(folder: Path, **files: str) -> None:
    """Write `name=text` files (name without .py) into `folder`."""
    for name, text in files.items():
        (folder / f"{name}.py").write_text(text, encoding="utf-8")


def found(tl, where: Path, *args: str) -> set:
    """(file name, row, code) of every finding."""
    out = tl("check", "--output-format", "json", *args, str(where))
    return {(Path(f["filename"]).name, f["location"]["row"], f["code"]) for f in out.json()}


def test_torch_project_rules_fire_in_the_script_that_misuses_imported_code(tl, tmp_path):
    got = found(tl, project(tmp_path, "torch_bug"), "--no-cache")
    assert ("train.py", 13, "TL304") in got  # softmax-ended imported model into CrossEntropyLoss
    assert ("train.py", 13, "TL202") in got  # 30 features from data.py into a model built for 20
    assert ("train.py", 18, "TL101") in got  # integer pixels into the imported model
    assert ("train.py", 21, "TL301") in got  # a loss (by its use here) in losses.py ignores its target
    # FocalLoss is a loss by its own name: losses.py reports it, not each importer
    assert ("losses.py", 10, "TL301") in got
    assert {f for f in got if f[0] in ("model.py", "data.py")} == set()


def test_the_messages_name_the_other_file(tl, tmp_path):
    out = tl("check", "--no-cache", "--output-format", "json", str(project(tmp_path, "torch_bug") / "train.py"))
    by_code = {f["code"]: f["message"] for f in out.json()}
    assert by_code["TL202"].endswith("(in model.py:15)")
    assert by_code["TL301"].endswith("(in losses.py:5)")


def test_correct_look_alike_project_is_silent(tl, tmp_path):
    assert found(tl, project(tmp_path, "torch_ok"), "--no-cache") == set()
    assert found(tl, project(tmp_path, "keras_ok"), "--no-cache") == set()


def test_package_relative_imports_and_module_aliases(tl, tmp_path):
    got = found(tl, project(tmp_path, "torch_pkg"), "--no-cache")
    assert {("train.py", 12, "TL304"), ("train.py", 12, "TL202")} <= got  # from .model import Net; from . import data
    assert ("run.py", 7, "TL202") in got  # import app.model as m; m.Net(...)
    assert ("run.py", 9, "TL101") in got  # from app.model import Net as Classifier


def test_keras_model_built_in_another_module(tl, tmp_path):
    got = found(tl, project(tmp_path, "keras_bug"), "--no-cache")
    assert {("train.py", 9, "TL304"), ("train.py", 10, "TL203"), ("train.py", 10, "TL302")} <= got


def test_broken_or_missing_modules_leave_names_unknown(tl, tmp_path):
    got = found(tl, project(tmp_path, "broken"), "--no-cache")
    assert got == {("model.py", 9, "TL001")}  # nothing invented in train.py


def test_following_can_be_turned_off(tl, tmp_path):
    root = project(tmp_path, "torch_bug")
    (root / "pyproject.toml").write_text("[tool.tensorlint]\nfollow-imports = false\n", encoding="utf-8")
    got = found(tl, root, "--no-cache")
    assert {f for f in got if f[0] == "train.py"} == set()


def test_source_roots_from_configuration(tl, tmp_path):
    root = tmp_path / "repo"
    (root / "lib").mkdir(parents=True)
    (root / "scripts").mkdir()
    shutil.copy(PROJECTS / "torch_bug" / "model.py", root / "lib" / "netdefs.py")
    (root / "scripts" / "fit.py").write_text(
        "import torch\nfrom netdefs import Net\nNet(in_features=20)(torch.randn(2, 7))\n", encoding="utf-8")
    assert found(tl, root / "scripts", "--no-cache") == set()  # lib/ is not searched unless configured
    (root / "pyproject.toml").write_text('[tool.tensorlint]\nsrc = ["lib"]\n', encoding="utf-8")
    assert found(tl, root / "scripts", "--no-cache") == {("fit.py", 3, "TL202")}


def test_cached_result_is_dropped_when_an_imported_module_changes(tl, tmp_path):
    root = project(tmp_path, "torch_ok")
    train = root / "train.py"
    assert found(tl, train) == set()
    model = root / "model.py"
    text = model.read_text(encoding="utf-8")
    model.write_text(text.replace("return self.head(self.body(x))", "return self.head(self.body(x)).softmax(1)"),
                     encoding="utf-8")
    stat = model.stat()
    os.utime(model, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    assert ("train.py", 13, "TL304") in found(tl, train)


def test_a_bug_inside_the_imported_module_is_reported_there_only(tl, tmp_path):
    write(tmp_path,
          model="import torch.nn as nn\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                "        self.body = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(32, 2))\n\n"
                "    def forward(self, x):\n        return self.body(x.flatten(1))\n",
          train="import torch\nfrom model import Net\n\n\ndef main():\n    model = Net()\n    return model(torch.randn(8, 20))\n\n\n"
                "if __name__ == '__main__':\n    main()\n")
    assert found(tl, tmp_path, "--no-cache") == {("model.py", 7, "TL202")}


def test_editor_incremental_analysis_keeps_findings_across_files(tmp_path):
    from tensorlint.config import Config
    from tensorlint.engine import analyze
    from tensorlint.incremental import IncrementalAnalysis

    root = project(tmp_path, "torch_bug")
    path = str(root / "train.py")
    text = (root / "train.py").read_text(encoding="utf-8")
    doc = IncrementalAnalysis()
    first = doc.analyze(text, path, Config())
    edited = text.replace("scores = model(pixels)", "scores = model(pixels)  # edited")
    again = doc.analyze(edited, path, Config())
    assert doc.last_run["ran"] < doc.last_run["chunks"]  # only some chunks ran again
    codes = lambda a: sorted((f.code, f.span.start.line) for f in a.findings)  # noqa: E731
    assert codes(again) == codes(first) == codes(analyze(edited, path, Config()))
    assert str(root / "model.py") in again.dependencies


def test_class_derived_from_a_project_base_class(tl, tmp_path):
    (tmp_path / "backbone.py").write_text(
        "import torch.nn as nn\n\n\nclass Backbone(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(10, 64)\n\n    def forward(self, x):\n        return self.fc(x)\n", encoding="utf-8")
    head = ("import torch\nimport torch.nn as nn\nfrom backbone import Backbone\n\n\nclass Head(Backbone):\n"
            "    def __init__(self):\n        super().__init__()\n        self.cls = nn.Linear(64, 3)\n\n"
            "    def forward(self, x):\n        return {out}\n\n\n"
            "loss = nn.CrossEntropyLoss()(Head()(torch.randn(4, 10)), torch.tensor([0, 1, 2, 0]))\n")
    (tmp_path / "head.py").write_text(head.format(out="torch.softmax(self.cls(super().forward(x)), dim=1)"), encoding="utf-8")
    assert found(tl, tmp_path, "--no-cache") == {("head.py", 15, "TL304")}
    (tmp_path / "head.py").write_text(head.format(out="self.cls(super().forward(x))"), encoding="utf-8")
    assert found(tl, tmp_path, "--no-cache") == set()


def test_keras_subclassed_model_through_a_module_alias(tl, tmp_path):
    (tmp_path / "nets.py").write_text(
        "import tensorflow as tf\n\n\nclass Classifier(tf.keras.Model):\n    def __init__(self, classes=10):\n"
        "        super().__init__()\n        self.flat = tf.keras.layers.Flatten()\n"
        "        self.out = tf.keras.layers.Dense(classes, activation='softmax')\n\n"
        "    def call(self, x):\n        return self.out(self.flat(x))\n", encoding="utf-8")
    fit = ("import numpy as np\nimport tensorflow as tf\nimport nets\n\nmodel = nets.Classifier(classes=10)\n"
           "model.compile(optimizer='adam', loss='{loss}')\n"
           "model.fit(np.random.rand(64, 28, 28), np.random.randint(0, 10, size=(64,)))\n")
    (tmp_path / "fit.py").write_text(fit.format(loss="categorical_crossentropy"), encoding="utf-8")
    assert found(tl, tmp_path, "--no-cache") == {("fit.py", 7, "TL302")}
    (tmp_path / "fit.py").write_text(fit.format(loss="sparse_categorical_crossentropy"), encoding="utf-8")
    assert found(tl, tmp_path, "--no-cache") == set()


def test_star_import_of_a_project_module(tl, tmp_path):
    root = project(tmp_path, "torch_ok")
    (root / "star.py").write_text("import torch\nfrom model import *\n\nnet = Net(in_features=20)\nnet(torch.randn(3, {n}))\n"
                                  .format(n=10), encoding="utf-8")
    assert ("star.py", 5, "TL202") in found(tl, root / "star.py", "--no-cache")
    (root / "star.py").write_text("import torch\nfrom model import *\n\nnet = Net(in_features=20)\nnet(torch.randn(3, 20))\n",
                                  encoding="utf-8")
    assert found(tl, root / "star.py", "--no-cache") == set()


def test_import_cycles_and_odd_imports_do_not_crash(tl, tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    write(tmp_path,
          a="import torch\nfrom b import B, helper\nfrom .......deep import thing\nfrom . import *\nfrom pkg import *\n"
            "import pkg.sub.missing as pm\nfrom a import A\n\n\nclass A(B):\n    pass\n\n\nA()(torch.randn(2, 3))\n"
            "helper(torch.randn(2))\npm.X()\nthing()\n",
          b="import torch\nfrom a import A\nfrom c import C\n\n\nclass B(C):\n    def forward(self, x):\n        return A()(x)\n\n\n"
            "def helper(x):\n    return helper(x)\n",
          c="import torch.nn as nn\nfrom b import B\n\n\nclass C(B, nn.Module):\n    pass\n\n\nX = C()\n")
    out = tl("check", "--no-cache", str(tmp_path))
    assert out.code == 0, out.err


def test_keras_loss_function_from_a_project_module(tl, tmp_path):
    write(tmp_path,
          losses="import tensorflow as tf\n\n\ndef smooth(y_true, y_pred):\n    return tf.reduce_mean(tf.square(y_pred))\n\n\n"
                 "def matched(y_true, y_pred):\n    return tf.reduce_mean(tf.square(y_pred - y_true))\n",
          fit="from tensorflow import keras\n\nimport losses\n\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\n"
              "model.compile(optimizer='adam', loss=losses.smooth)\n"
              "other = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\n"
              "other.compile(optimizer='adam', loss=losses.matched)\n")
    out = tl("check", "--no-cache", "--output-format", "json", str(tmp_path))
    assert [(Path(f["filename"]).name, f["location"]["row"], f["code"]) for f in out.json()] == [("fit.py", 6, "TL301")]
    assert out.json()[0]["message"].endswith("(in losses.py:4)")


def test_the_configuration_folder_is_a_source_root(tl, tmp_path):
    (tmp_path / "models").mkdir()
    (tmp_path / "scripts").mkdir()
    (tmp_path / "models" / "__init__.py").write_text("", encoding="utf-8")
    shutil.copy(PROJECTS / "torch_bug" / "model.py", tmp_path / "models" / "net.py")
    write(tmp_path / "scripts", fit="import torch\nfrom models.net import Net\nNet(in_features=20)(torch.randn(2, 7))\n")
    assert found(tl, tmp_path / "scripts", "--no-cache") == set()  # no project root known: not searched
    (tmp_path / "pyproject.toml").write_text("[tool.tensorlint]\nselect = [\"ALL\"]\n", encoding="utf-8")
    assert found(tl, tmp_path / "scripts", "--no-cache") == {("fit.py", 3, "TL202")}


def test_names_a_package_re_exports_from_its_modules(tl, tmp_path):
    """`from nets import Net` where nets/__init__.py only re-exports (it names no framework itself)."""
    head = {"bad": "torch.softmax(self.fc(x), dim=1)", "ok": "self.fc(x)"}
    inits = {
        "relative": "from .model import Net\n",
        "absolute": "from nets.model import Net\n",
        "star": "from .model import *\n",
        "listed": "from .model import Net\nfrom .text import clean\n\n__all__ = ['Net', 'clean']\n",
    }
    uses = {
        "from": "import torch\nimport torch.nn as nn\nfrom nets import Net\n\nout = Net()(torch.randn(4, 10))\n",
        "attribute": "import torch\nimport torch.nn as nn\nimport nets\n\nout = nets.Net()(torch.randn(4, 10))\n",
    }
    tail = "loss = nn.CrossEntropyLoss()(out, torch.tensor([0, 1, 2, 0]))\n"
    for kind, init in inits.items():
        for use_kind, use in uses.items():
            for verdict, out in head.items():
                root = tmp_path / f"{kind}-{use_kind}-{verdict}"
                (root / "nets").mkdir(parents=True)
                (root / "nets" / "__init__.py").write_text(init, encoding="utf-8")
                (root / "nets" / "text.py").write_text("def clean(s):\n    return s.strip()\n", encoding="utf-8")
                (root / "nets" / "model.py").write_text(
                    "import torch\nimport torch.nn as nn\n\n\nclass Net(nn.Module):\n    def __init__(self):\n"
                    "        super().__init__()\n        self.fc = nn.Linear(10, 3)\n\n"
                    f"    def forward(self, x):\n        return {out}\n", encoding="utf-8")
                (root / "train.py").write_text(use + tail, encoding="utf-8")
                got = found(tl, root / "train.py", "--no-cache")
                if verdict == "bad" and kind != "star":
                    assert got == {("train.py", 6, "TL304")}, (kind, use_kind)
                else:  # logits head; a package's `*` re-export stays unknown: nothing invented
                    assert got == set(), (kind, use_kind, verdict)


def test_imports_in_function_bodies_resolve_on_every_run(tl, tmp_path):
    """A project module imported inside functions (a module, a name of it, a module of a
    package): the import runs again with each call and with each function's own run, and
    finds the same module every time, whichever way it is written."""
    model = ("import torch.nn as nn\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
             "        self.fc = nn.Linear(20, 4)\n\n    def forward(self, x):\n        return self.fc(x)\n")
    imports = {
        "name": ("from model import Net", "Net()"),
        "module": ("import model", "model.Net()"),
        "package": ("from nets import model", "model.Net()"),
        "relative": ("from .model import Net", "Net()"),
    }
    for kind, (line, make) in imports.items():
        for features, verdict in ((30, "bad"), (20, "ok")):
            root = tmp_path / f"{kind}-{verdict}"
            folder = root / "nets" if kind in ("package", "relative") else root
            folder.mkdir(parents=True)
            if folder != root:
                (folder / "__init__.py").write_text("", encoding="utf-8")
            (folder / "model.py").write_text(model, encoding="utf-8")
            script = folder / "train.py" if kind == "relative" else root / "train.py"
            script.write_text(
                "import torch\n\n\ndef build():\n"
                f"    {line}\n    return {make}\n\n\n"
                "def step(batch):\n"
                f"    {line}\n    net = {make}\n    return net(batch)\n\n\n"
                f"for _ in range(3):\n    step(torch.randn(8, {features}))\n    build()\n", encoding="utf-8")
            got = found(tl, script, "--no-cache")
            if verdict == "bad":
                assert got == {("train.py", 16, "TL202")}, kind  # at the call the batch goes in by
            else:
                assert got == set(), kind
