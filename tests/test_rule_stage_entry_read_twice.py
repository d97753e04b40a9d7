"""TL461: a run of stage-building calls that reads one entry of a list parameter twice in a
row while entries of the lists the file passes are never read. Written several ways: a torch
ResNet whose `__init__` reads the block counts through a method (positional and keyword
arguments), a torch model that builds stages with a module-level function, a Keras functional
builder whose counts are a default tuple, and the CLI on a file. The look-alikes read every
entry given, repeat an index for a channel count that trails the one before, take lists the file
does not show, use the list another way too, or are subclassed."""
from __future__ import annotations

import subprocess
import sys
import textwrap

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL461",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "net.py", ONLY).findings)


RESNET = """
    import torch.nn as nn


    class Block(nn.Module):
        def __init__(self, cin, cout, stride=1):
            super().__init__()
            self.conv = nn.Conv2d(cin, cout, 3, stride, 1)

        def forward(self, x):
            return self.conv(x).relu()


    class ResNet(nn.Module):
        def __init__(self, block, layers, num_classes=10):
            super().__init__()
            self.in_channels = 16
            self.layer1 = self._make_layer(block, 16, {a})
            self.layer2 = self._make_layer(block, 32, {b}, stride=2)
            self.layer3 = self._make_layer(block, 64, {c}, stride=2)
            self.fc = nn.Linear(64, num_classes)

        def _make_layer(self, block, channels, blocks, stride=1):
            layers = [block(self.in_channels, channels, stride)]
            self.in_channels = channels
            for _ in range(1, blocks):
                layers.append(block(channels, channels))
            return nn.Sequential(*layers)


    def resnet_small():
        return ResNet(Block, {counts})


    model = ResNet(Block, layers={counts})
"""


def _resnet(a="layers[0]", b="layers[0]", c="layers[1]", counts="[2, 2, 2, 2]"):
    return RESNET.format(a=a, b=b, c=c, counts=counts)


def test_repeated_block_count_in_a_resnet():
    assert _lines(_resnet()) == [18]


def test_repeat_between_later_stages_and_keyword_argument():
    src = _resnet(b="layers[1]", c="layers[1]").replace(
        "self._make_layer(block, 64, layers[1], stride=2)", "self._make_layer(block, 64, blocks=layers[1], stride=2)")
    src = src.replace("self._make_layer(block, 32, layers[1], stride=2)", "self._make_layer(block, 32, blocks=layers[1], stride=2)")
    assert _lines(src) == [19]


def test_stages_built_by_a_module_function():
    src = """
        import torch.nn as nn


        def stage(cin, cout, n):
            return nn.Sequential(*[nn.Conv2d(cin if i == 0 else cout, cout, 3, padding=1) for i in range(n)])


        class Net(nn.Module):
            def __init__(self, depths=(1, 2, 3)):
                super().__init__()
                self.s1 = stage(3, 32, depths[0])
                self.s2 = stage(32, 64, depths[0])
                self.s3 = stage(64, 128, depths[1])


        net = Net()
    """
    assert _lines(src) == [12]


def test_keras_functional_builder_with_default_counts():
    src = """
        from tensorflow import keras


        def block(x, filters, repeats):
            for _ in range(repeats):
                x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
            return keras.layers.MaxPooling2D()(x)


        def build(repeats=(2, 2, 3, 3)):
            inputs = keras.Input((32, 32, 3))
            x = block(inputs, 32, repeats[0])
            x = block(x, 64, repeats[1])
            x = block(x, 128, repeats[2])
            x = block(x, 256, repeats[2])
            return keras.Model(inputs, keras.layers.Dense(10)(keras.layers.Flatten()(x)))


        model = build()
    """
    assert _lines(src) == [15]


def test_every_entry_read_is_silent():
    assert _lines(_resnet(counts="[2, 2]")) == []
    assert _lines(_resnet(b="layers[1]", c="layers[2]", counts="[2, 2, 2]")) == []


def test_lists_not_shown_or_used_otherwise_are_silent():
    # a list from outside the file
    assert _lines(_resnet(counts="counts")) == []
    # one call passes a list the file does not write
    assert _lines(_resnet().replace("return ResNet(Block, [2, 2, 2, 2])", "return ResNet(Block, cfg)")) == []
    # the list is also measured
    assert _lines(_resnet().replace("self.fc = nn.Linear(64, num_classes)",
                                    "self.fc = nn.Linear(64 * len(layers), num_classes)")) == []
    # a computed index
    assert _lines(_resnet(c="layers[i]")) == []
    # a subclass may pass its own lists
    assert _lines(_resnet() + "\n    class Wide(ResNet):\n        pass\n") == []


def test_channels_trailing_the_stage_before_are_silent():
    src = """
        import torch.nn as nn


        class Net(nn.Module):
            def __init__(self, widths):
                super().__init__()
                self.a = nn.Conv2d(widths[0], widths[0], 3)
                self.b = nn.Conv2d(widths[0], widths[1], 3)
                self.c = nn.Conv2d(widths[1], widths[2], 3)


        net = Net([16, 32, 64])
    """
    assert _lines(src) == []


def test_stage_split_in_two_calls_reading_all_entries_is_silent():
    src = """
        import torch.nn as nn


        def part(n, cin, cout, kind="all"):
            return nn.Sequential(*[nn.Conv2d(cin, cout, 1) for _ in range(n)])


        class Net(nn.Module):
            def __init__(self, config):
                super().__init__()
                self.b2 = part(config[0], 64, 128)
                self.b3a = part(config[1], 128, 256, kind="first")
                self.b3b = part(config[1], 128, 256, kind="rest")
                self.b4 = part(config[2], 256, 512)


        net = Net([3, 4, 6])
    """
    assert _lines(src) == []


def test_cli_reports_the_repeated_entry(tmp_path):
    path = tmp_path / "resnet.py"
    path.write_text(textwrap.dedent(_resnet()).lstrip("\n"))
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL461", str(path)],
                         capture_output=True, text=True).stdout
    assert "resnet.py:18:" in out and "`layers[0]` is read again" in out and "`layers[2]`, `layers[3]`" in out
