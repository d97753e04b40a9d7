"""TL003 name-bound-nowhere on the bug written the ways people write it (a misspelled flag or
local, an argparse option read without `args.`, an attribute of `self` read without `self.`, at
module level, in functions, in methods and in closures) and on correct look-alikes: names bound
later, by `global`, by a comprehension, a loop, `with`, `except`, `:=`, a lambda or a `match`;
fragments whose names nothing in the file could stand for; files that bind names their syntax
does not show. Each case marks its expected findings with `# expect: TL003`; every other line
must stay silent."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

from corpus_support import marked_and_found, only_finding

CASES = {
    "flag-misspelled-in-a-function": """
        import tensorflow as tf

        FLAGS = tf.app.flags.FLAGS
        tf.app.flags.DEFINE_float("l2_reg_lambda", 0.0, "L2 regularization")

        def build():
            return tf.keras.regularizers.l2(FALGS.l2_reg_lambda)  # expect: TL003

        build()
    """,
    "local-misspelled-in-an-uncalled-function": """
        import numpy as np
        import tensorflow as tf

        def generate_image(G, z, truncation_psi):
            Gs_kwargs = {"randomize_noise": False}
            if truncation_psi is not None:
                Gs_kwargs["truncation_psi"] = truncation_psi
            label = np.zeros([1, 10])
            images = G.run(z, label, **G_kwargs)  # expect: TL003
            return images[0]
    """,
    "argparse-option-read-bare-at-module-level": """
        import argparse
        import numpy as np
        import torch

        parser = argparse.ArgumentParser()
        parser.add_argument("--seed", default=0, type=int)
        parser.add_argument("--env", default="HalfCheetah-v2")
        args = parser.parse_args()

        torch.manual_seed(args.seed)
        np.random.seed(seed)  # expect: TL003
    """,
    "option-read-bare-inside-main": """
        import argparse
        import torch

        def main():
            parser = argparse.ArgumentParser()
            parser.add_argument("--lr", type=float, default=0.1)
            opt = parser.parse_args()
            model = torch.nn.Linear(4, 2)
            print(opt.lr)
            return torch.optim.SGD(model.parameters(), lr=lr)  # expect: TL003

        if __name__ == "__main__":
            main()
    """,
    "attribute-of-self-read-bare-in-a-method": """
        import keras

        class ResNetBackbone:
            def __init__(self, backbone):
                self.backbone = backbone

            def download_imagenet(self):
                depth = int(backbone.replace("resnet", ""))  # expect: TL003
                return keras.utils.get_file(f"ResNet-{depth}.h5", "https://example.org")
    """,
    "closure-reads-a-misspelled-local-of-its-function": """
        import torch

        def train(model, loader):
            optimizer = torch.optim.Adam(model.parameters())
            def step(x, y):
                loss = torch.nn.functional.cross_entropy(model(x), y)
                optimzer.zero_grad()  # expect: TL003
                loss.backward()
                optimizer.step()
            for x, y in loader:
                step(x, y)
    """,
    "script-reads-a-loss-bound-under-another-name": """
        import argparse
        import torch

        parser = argparse.ArgumentParser()
        parser.add_argument("--epochs", type=int, default=5)
        opt = parser.parse_args()
        cuda = torch.cuda.is_available()

        discriminator_loss = torch.nn.BCELoss()
        mnist_loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.zeros(8, 4)), batch_size=4)
        if cuda:
            adversarial_loss.cuda()  # expect: TL003
        for epoch in range(opt.epochs):
            for i, (x,) in enumerate(mnist_loader):
                batches_done = epoch * len(dataloader) + i  # expect: TL003
    """,
    "keras-script-reading-sys-argv-fits-an-unbound-model": """
        import sys
        import numpy as np
        from tensorflow import keras

        epochs = int(sys.argv[1])
        x = np.zeros((16, 4))
        y = np.zeros((16, 1))
        net = keras.Sequential([keras.layers.Dense(1)])
        net.compile(optimizer="adam", loss="mse")
        if __name__ == "__main__":
            classifier.fit(x, y, epochs=epochs)  # expect: TL003
    """,
    "tf-script-parsing-its-options-in-a-function": """
        import argparse
        import tensorflow as tf

        def options():
            parser = argparse.ArgumentParser()
            parser.add_argument("--lr", type=float, default=0.01)
            return parser.parse_known_args()[0]

        flags = options()
        optimizer = tf.keras.optimizers.SGD(learning_rate=flags.lr)
        writer = tf.summary.create_file_writer(log_dir)  # expect: TL003
    """,
    # -- silent ----------------------------------------------------------------------------
    "script-whose-function-reads-a-name-it-does-not-bind": """
        import argparse
        import torch

        args = argparse.ArgumentParser().parse_args()

        def evaluate():
            return model(torch.zeros(1, 4))
    """,
    "script-binds-the-name-later-or-in-a-function": """
        import argparse
        import torch

        args = argparse.ArgumentParser().parse_args()

        def build():
            global criterion
            criterion = torch.nn.MSELoss()

        build()
        loss = criterion(torch.zeros(2), torch.ones(2))
        for step in range(2):
            if step:
                print(previous)
            previous = step
        try:
            torch.save(loss, "loss.pt")
        except WindowsError:
            pass
    """,
    "python2-script-reads-python2-builtins": """
        import sys
        import torch

        for i in xrange(int(sys.argv[1])):
            name = unicode(i)
            print(torch.zeros(i), name)
    """,
    "script-with-a-star-import": """
        import argparse
        from torch.nn import *

        args = argparse.ArgumentParser().parse_args()
        loss = MSELoss()
    """,
    "names-bound-in-every-way": """
        import torch
        from torch import nn

        def step():
            return model(torch.zeros(1, 4))

        model = nn.Linear(4, 2)
        layers = [nn.Linear(n, n) for n in (2, 4)]
        for layer in layers:
            pass
        print(layer)

        def setup():
            global encoder
            encoder = nn.Linear(2, 2)

        setup()
        print(encoder)
        with torch.no_grad() as guard:
            pass
        print(guard)
        try:
            step()
        except RuntimeError as error:
            print(error)
        if (width := 4) > 2:
            print(width)
        scale = lambda value: value * 2
        match [1, 2]:
            case [first, *others]:
                print(first, others)

        def outer():
            hidden = 8
            def inner():
                return hidden
            return inner()
    """,
    "a-fragment-of-a-larger-program": """
        import torch
        from keras import models

        net = torch.nn.Linear(4, 2)
        out = net(X_train)
        model.add(layers.Dropout(0.5))
    """,
    "the-class-body-reads-its-own-names": """
        import torch

        class Net(torch.nn.Module):
            width = 4
            size = width * 2
            sizes = [width * k for k in range(3)]
    """,
    "attribute-set-from-a-name-bound-nowhere": """
        import torch

        class Decoder(torch.nn.Module):
            def __init__(self, hidden_size):
                super().__init__()
                self.hidden_size = hidden_size
                self.max_length = max_length
    """,
    "a-star-import-may-bind-it": """
        from keras.layers import *
        from keras.models import Sequential

        model = Sequential()
        model.add(Dense(10))
        model.add(Flaten())
    """,
    "the-program-handles-the-name-error": """
        import tensorflow as tf

        FLAGS = tf.app.flags.FLAGS
        try:
            reg = FALGS.l2_reg_lambda
        except NameError:
            reg = 0.0
    """,
    "a-broad-except-around-the-read": """
        import tensorflow as tf

        FLAGS = tf.app.flags.FLAGS
        try:
            reg = FALGS.l2_reg_lambda
        except Exception:
            reg = 0.0
    """,
    "annotations-and-builtins": """
        import torch

        def forward(x: torch.Tensor) -> torch.Tensor:
            y: Tensr = x * 2
            print(isinstance(y, torch.Tensor), ValueError, __file__, __name__)
            return y

        Tensor = torch.Tensor
    """,
    "the-line-says-an-extension-binds-it": """
        import torch

        def get_device_properties(device):
            return _get_device_properties(device)  # type: ignore[name-defined]  # noqa: F821

        def get_device_name(device):
            return _get_device_name(device)  # noqa
    """,
    "names-made-by-globals": """
        import torch

        for name in ("encoder", "decoder"):
            globals()[name] = torch.nn.Linear(4, 4)
        decoders = [decoder]
        print(encoderr)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_name_bound_nowhere_written_several_ways(name):
    marked, found = marked_and_found("TL003", name, CASES[name])
    assert found == marked


@pytest.mark.parametrize("case, meant", [
    ("flag-misspelled-in-a-function", "FLAGS"),
    ("argparse-option-read-bare-at-module-level", "args.seed"),
    ("option-read-bare-inside-main", "opt.lr"),
    ("attribute-of-self-read-bare-in-a-method", "self.backbone"),
    ("closure-reads-a-misspelled-local-of-its-function", "optimizer"),
])
def test_message_and_fix_name_what_the_program_binds(case, meant):
    f = only_finding("TL003", CASES[case], Config())
    assert "NameError" in f.message and f"did you mean `{meant}`?" in f.message
    assert f.fix is not None and f.fix.applicability.name == "UNSAFE"
    assert [e.content for e in f.fix.edits] == [meant]


def test_a_python2_program_is_not_judged_by_python3_names():
    text = "import tensorflow as tf\nFLAGS = tf.app.flags.FLAGS\nprint 'start'\nreg = FALGS.l2\n"
    assert [f.code for f in analyze(text, "old.py", Config()).findings if f.code == "TL003"] == []


def test_an_imported_project_module_is_judged_in_its_own_file(tmp_path):
    """The run follows `train.py`'s import into `model.py`, whose misspelling is reported where it
    is, once, when `model.py` is checked, and not in `train.py`."""
    (tmp_path / "model.py").write_text(textwrap.dedent("""
        import torch

        HIDDEN = 16

        class Net(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = torch.nn.Linear(4, HIDEN)

            def forward(self, x):
                return self.fc(x)
    """).lstrip())
    (tmp_path / "train.py").write_text(textwrap.dedent("""
        import torch
        from model import Net

        net = Net()
        out = net(torch.zeros(2, 4))
    """).lstrip())
    run = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL003", "train.py", "model.py"],
                         cwd=tmp_path, capture_output=True, text=True)
    lines = [line for line in run.stdout.splitlines() if "TL003" in line]
    assert lines == ["model.py:8:38: TL003 `HIDEN` is bound nowhere this line can see: it raises NameError when it runs; "
                     "did you mean `HIDDEN`?"], run.stdout + run.stderr


def test_a_binding_added_in_another_chunk_is_seen_after_the_edit():
    """In the language server, an edit that binds the name in a chunk of its own takes the
    finding away, and one that removes that binding brings it back, as a whole-file check does."""
    from tensorlint.incremental import IncrementalAnalysis

    head = "import tensorflow as tf\nFLAGS = tf.app.flags.FLAGS\n"
    use = "def build():\n    return FALGS.l2\n"
    filler = "".join(f"setting_{i} = {i}\n" for i in range(20))
    texts = [head + filler + use, head + "FALGS = FLAGS\n" + filler + use, head + filler + use]
    inc = IncrementalAnalysis()
    config = Config(select=("TL003",))
    got = []
    for text in texts:
        found = sorted((f.code, f.line) for f in inc.analyze(text, "m.py", config).findings)
        assert found == sorted((f.code, f.line) for f in analyze(text, "m.py", config).findings)
        got.append(found)
    assert got == [[("TL003", 24)], [], [("TL003", 24)]]


def test_a_file_whose_statements_do_not_all_parse_is_not_judged():
    """An exercise left for the reader (`n_hidden=`) does not parse: the analysis goes on without
    that statement, which may bind the name, so nothing is said of it."""
    text = ("import torch\n\nclass CharRNN(torch.nn.Module):\n    def __init__(self, n_hidden):\n        super().__init__()\n"
            "        self.n_hidden = n_hidden\n\nn_hidden=\n\nnet = CharRNN(n_hidden)\nprint(net.n_hidden)\n")
    from tensorlint.tolerant import analyze_around_errors

    errors = analyze(text, "exercise.py", Config()).findings
    assert [f.code for f in errors] == ["TL001"]
    # the analysis of the statements that parse, as `tensorlint check` runs it
    around = analyze_around_errors(text, "exercise.py", Config(), errors)
    assert [f.code for f in around.findings] == ["TL001"]
    whole = text.replace("n_hidden=\n", "n_hiden = 16\n")
    assert [(f.code, f.line) for f in analyze(whole, "exercise.py", Config()).findings] == [("TL003", 10)]


def test_a_script_reports_a_name_bound_nowhere_without_guessing_what_it_meant(tmp_path):
    """The command line on a training script: the name its module-level code reads and nothing
    binds is reported where it is read, with no fix (nothing in the program says what it meant)."""
    (tmp_path / "train.py").write_text(textwrap.dedent(CASES["script-reads-a-loss-bound-under-another-name"]).lstrip())
    run = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL003", "train.py"],
                         cwd=tmp_path, capture_output=True, text=True)
    lines = [line for line in run.stdout.splitlines() if "TL003" in line]
    assert [line.split(" TL003 ")[0] for line in lines] == ["train.py:12:5:", "train.py:15:36:"], run.stdout + run.stderr
    assert "`adversarial_loss` is bound nowhere in this program" in lines[0] and "NameError" in lines[0]
    f = only_finding("TL003", CASES["keras-script-reading-sys-argv-fits-an-unbound-model"], Config())
    assert f.fix is None and "reads its command line" in f.message
