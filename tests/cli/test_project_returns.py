"""A function of one project module that ends without a value (a factory that forgets `return
model`), used for its value by another: reported at the importer's call, naming the module's line,
and, when the module is checked, where its body ends, naming the importer's use."""
from __future__ import annotations

from pathlib import Path

KERAS_FACTORY = ("from tensorflow import keras\n\n\ndef get_model(units=10):\n"
                 "    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(units, activation='softmax')])\n"
                 "    model.summary()\n")
TORCH_FACTORY = ("import torch.nn as nn\n\n\ndef build(hidden):\n    net = nn.Sequential(nn.Linear(4, hidden), nn.ReLU(),\n"
                 "                        nn.Linear(hidden, 1))\n    print(net)\n")
TF1_HELPER = ("import tensorflow as tf\n\n\ndef make_optimizer(loss, lr):\n"
              "    opt = tf.train.AdamOptimizer(lr)\n    train_op = opt.minimize(loss)\n")


def write(folder: Path, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.py").write_text(text, encoding="utf-8")
    return folder


def found(tl, where: Path, *args: str) -> set:
    out = tl("check", "--output-format", "json", "--no-cache", *args, str(where))
    return {(Path(f["filename"]).name, f["location"]["row"], f["code"]) for f in out.json()}


def messages(tl, where: Path) -> dict:
    out = tl("check", "--output-format", "json", "--no-cache", str(where))
    return {(Path(f["filename"]).name, f["location"]["row"]): f["message"] for f in out.json() if f["code"] == "TL421"}


def test_keras_factory_without_return_used_by_the_training_script(tl, tmp_path):
    root = write(tmp_path / "p", model=KERAS_FACTORY,
                 train="import numpy as np\nfrom model import get_model\n\n\ndef main():\n    model = get_model(units=3)\n"
                       "    model.compile(optimizer='adam', loss='categorical_crossentropy')\n"
                       "    model.fit(np.zeros((4, 8)), np.zeros((4, 3)))\n\n\nmain()\n")
    got = found(tl, root)
    assert ("train.py", 6, "TL421") in got  # the importer's call
    assert ("model.py", 6, "TL421") in got  # where the factory's body ends, when the module is checked
    said = messages(tl, root)
    assert "(model.py:4)" in said[("train.py", 6)] and "`.compile`" in said[("train.py", 6)]
    assert "its call at train.py:6" in said[("model.py", 6)] and "(line 7)" in said[("model.py", 6)]


def test_torch_factory_imported_under_another_name_and_through_the_module(tl, tmp_path):
    root = write(tmp_path / "a", nets=TORCH_FACTORY,
                 run="import torch\nfrom nets import build as make_net\n\nnet = make_net(16)\nout = net(torch.randn(2, 4))\n")
    assert {("run.py", 4, "TL421"), ("nets.py", 7, "TL421")} <= found(tl, root)
    root = write(tmp_path / "b", nets=TORCH_FACTORY,
                 run="import torch\nimport nets\n\nnet = nets.build(16)\nopt = torch.optim.SGD(net.parameters(), lr=0.1)\n")
    assert ("nets.py", 7, "TL421") in found(tl, root)  # the module's side reads `nets.build(...)` too


def test_tf1_helper_whose_result_is_run(tl, tmp_path):
    root = write(tmp_path / "p", ops=TF1_HELPER,
                 train="import tensorflow as tf\nfrom ops import make_optimizer\n\nx = tf.placeholder(tf.float32, [None, 3])\n"
                       "loss = tf.reduce_mean(tf.layers.dense(x, 1))\nstep = make_optimizer(loss, 0.01)\n"
                       "print(step.name)\n")
    assert {("train.py", 6, "TL421"), ("ops.py", 6, "TL421")} <= found(tl, root)


def test_package_relative_import(tl, tmp_path):
    pkg = write(tmp_path / "app", __init__="", model=KERAS_FACTORY,
                train="from .model import get_model\n\nmodel = get_model()\nmodel.summary()\n")
    assert {("train.py", 3, "TL421"), ("model.py", 6, "TL421")} <= found(tl, pkg)


def test_correct_look_alikes_stay_silent(tl, tmp_path):
    # the factory returns its model
    ok = write(tmp_path / "ok", model=KERAS_FACTORY + "    return model\n",
               train="from model import get_model\n\nmodel = get_model()\nmodel.compile(loss='mse')\n")
    assert found(tl, ok) == set()
    # the result is tested before it is used, or never used as an object, or only the call stands
    tested = write(tmp_path / "tested", model=KERAS_FACTORY,
                   train="from tensorflow import keras\nfrom model import get_model\n\nmodel = get_model()\nif model is None:\n"
                         "    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])\nmodel.summary()\n",
                   show="from model import get_model\n\nget_model(4)\nprint(get_model(5))\n")
    assert found(tl, tested) == set()
    # the body says it returns None; the body ends by raising; a stub
    said = write(tmp_path / "said", model=KERAS_FACTORY + "    return None\n",
                 raises="import torch.nn as nn\n\n\ndef build(n):\n    net = nn.Linear(n, 1)\n    raise NotImplementedError\n",
                 train="from model import get_model\nfrom raises import build\n\nget_model().summary()\nbuild(3).train()\n")
    assert found(tl, said) == set()
    # the name is rebound in the importer, or the module defines it again as something else
    rebound = write(tmp_path / "rebound", model=KERAS_FACTORY + "\n\nget_model = lambda units=10: None or 1\n",
                    train="from model import get_model\n\nm = get_model()\nm.summary()\n",
                    other=("from tensorflow import keras\nfrom model import get_model\n\n\ndef get_model():\n"
                           "    return keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\n\n\nget_model().summary()\n"))
    assert {f for f in found(tl, rebound) if f[2] == "TL421"} == set()


def test_a_file_beside_that_imports_another_module_of_the_same_name_is_not_read_as_the_importer(tl, tmp_path):
    # the module's side reads only files beside it that import the name from it
    root = write(tmp_path / "p", model=KERAS_FACTORY,
                 train="from zoo.model import get_model\n\nmodel = get_model()\nmodel.summary()\n")
    assert ("model.py", 6, "TL421") not in found(tl, root / "model.py")


def test_following_imports_turned_off_reads_no_other_file(tl, tmp_path):
    root = write(tmp_path / "p", model=KERAS_FACTORY,
                 train="from model import get_model\n\nmodel = get_model()\nmodel.summary()\n")
    (root / "pyproject.toml").write_text("[tool.tensorlint]\nfollow-imports = false\n", encoding="utf-8")
    assert {f for f in found(tl, root) if f[2] == "TL421"} == set()


LOSS_MODULE = ("import torch.nn as nn\n\n\ndef my_loss(scores, boxes, targets, labels):\n"
               "    ce = nn.CrossEntropyLoss()(scores, labels)\n    mse = nn.MSELoss()(boxes, targets)\n"
               "    return ce + mse, mse, ce\n")
LOOP = ("import torch\nfrom nets import Net\nfrom losses import my_loss\n\nnet = Net()\n"
        "optimizer = torch.optim.Adam(net.parameters())\nfor epoch in range(3):\n    running = 0.0\n"
        "    for x, labels, targets in loader:\n        optimizer.zero_grad()\n        scores, boxes = net(x)\n"
        "        loss, mse, ce = my_loss(scores, boxes, targets, labels)\n        loss.backward()\n        optimizer.step()\n"
        "        running += {added}\n")


def test_a_running_total_of_a_project_loss_given_an_unknown_model_output(tl, tmp_path):
    # TL409: the loss helper of losses.py is followed, but the model (nets.py is not there) is not:
    # the loss is a tensor whose graph the analysis does not know, which backward() shows it has
    root = write(tmp_path / "bug", losses=LOSS_MODULE, train=LOOP.format(added="loss"))
    assert ("train.py", 15, "TL409") in found(tl, root)
    ok = write(tmp_path / "ok", losses=LOSS_MODULE, train=LOOP.format(added="loss.item()"))
    assert {f for f in found(tl, ok) if f[2] == "TL409"} == set()
