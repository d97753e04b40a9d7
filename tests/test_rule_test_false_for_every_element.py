"""TL426: a dispatch inside a loop over a literal list whose every test is false for every
element, so none of its branches runs (the TF1 Stylenet typed 'conv1_1' by its second
character and built a VGG of pooling layers only). Written several ways; the look-alikes
dispatch correctly, compare whole elements, or iterate a list the program changes."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL426",))

BUGS = {
    # the Stylenet: a module-level tuple of layer names, a function that types them by index
    "index-in-a-function": ("""
        import tensorflow as tf

        vgg_layers = ['conv1_1', 'relu1_1', 'conv1_2', 'relu1_2', 'pool1',
                      'conv2_1', 'relu2_1', 'pool2']

        def vgg_network(weights, image):
            network = {}
            for i, layer in enumerate(vgg_layers):
                if layer[1] == 'c':
                    image = tf.nn.conv2d(image, tf.constant(weights[i]), (1, 1, 1, 1), 'SAME')
                elif layer[1] == 'r':
                    image = tf.nn.relu(image)
                else:
                    image = tf.nn.max_pool(image, (1, 2, 2, 1), (1, 2, 2, 1), 'SAME')
                network[layer] = image
            return network
    """, [9]),
    # a prefix test of the wrong case, the literal in the loop itself, torch
    "prefix-wrong-case": ("""
        import torch.nn as nn

        blocks = []
        for name in ('Conv3', 'Conv5', 'Pool'):
            if name.startswith('conv'):
                blocks.append(nn.LazyConv2d(16, int(name[4:])))
            elif name.startswith('pool'):
                blocks.append(nn.MaxPool2d(2))
        model = nn.Sequential(*blocks)
    """, [5]),
    # a slice against a prefix one character too long, Keras, a tuple of (kind, width) pairs
    "slice-of-pairs": ("""
        import keras

        spec = [('dense', 64), ('dropout', 0), ('dense', 10)]
        model = keras.Sequential()
        for kind, width in spec:
            if kind[:6] == 'dense_':
                model.add(keras.layers.Dense(width, activation='relu'))
    """, [6]),
    # a substring test and a length test, nested inside another statement of the loop
    "substring-in-a-with": ("""
        import tensorflow as tf

        names = ['fc1', 'fc2', 'out']
        with tf.variable_scope('head'):
            for n in names:
                if 'conv' in n or len(n) > 5:
                    print(n)
    """, [6]),
}

LOOKALIKES = {
    "dispatch-matches": """
        import tensorflow as tf

        vgg_layers = ['conv1_1', 'relu1_1', 'pool1']

        def vgg_network(image):
            for layer in vgg_layers:
                if layer[0] == 'c':
                    image = tf.nn.conv2d(image, tf.ones([3, 3, 3, 3]), (1, 1, 1, 1), 'SAME')
                elif layer[0] == 'r':
                    image = tf.nn.relu(image)
            return image
    """,
    "whole-element-equality": """
        import torch

        for arch in ['resnet18']:
            if arch == 'vgg16':
                print(arch)
    """,
    "list-extended": """
        import torch

        layers = ['pool1']
        layers += ['conv1']
        for layer in layers:
            if layer[0] == 'c':
                print(layer)
    """,
    "list-passed-to-a-function": """
        import torch

        layers = ['pool1']
        extend(layers)
        for layer in layers:
            if layer[0] == 'c':
                print(layer)
    """,
    "name-bound-twice": """
        import torch

        layers = ['pool1']
        if torch.cuda.is_available():
            layers = ['conv1']
        for layer in layers:
            if layer[0] == 'c':
                print(layer)
    """,
    "element-rebound": """
        import torch

        for layer in ['CONV1', 'POOL1']:
            layer = layer.lower()
            if layer[0] == 'c':
                print(layer)
    """,
    "test-reads-another-name": """
        import torch

        mode = 'train'
        for layer in ['conv1', 'pool1']:
            if mode[0] == 'x':
                print(layer)
    """,
    "unknown-method": """
        import torch

        for layer in ['conv1', 'pool1']:
            if layer.casefold().startswith('x'):
                print(layer)
    """,
}


def _text(program: str) -> str:
    return textwrap.dedent(program).lstrip("\n")


@pytest.mark.parametrize("name", sorted(BUGS))
def test_dispatch_that_matches_no_element_is_reported(name):
    program, lines = BUGS[name]
    findings = analyze(_text(program), f"{name}.py", ONLY).findings
    assert sorted(f.line for f in findings) == lines
    assert all("false for every element" in f.message for f in findings)


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_look_alikes_stay_silent(name):
    assert analyze(_text(LOOKALIKES[name]), f"{name}.py", ONLY).findings == []


def test_fixing_the_index_silences_the_finding():
    program, _ = BUGS["index-in-a-function"]
    fixed = _text(program).replace("layer[1]", "layer[0]")
    assert analyze(fixed, "fixed.py", ONLY).findings == []


# The rule decides from the text first whether any loop can iterate a literal list: spellings
# of the list and of the loop that the text check must let through (each fails if it does not).
SPELLINGS = {
    "comment-inside-the-literal": """
        import torch
        layers = (
            # the first block
            'conv1_1', 'relu1_1', 'pool1')
        for layer in layers:
            if layer[1] == 'x':
                print(torch.ones(1))
    """,
    "chained-assignment": """
        import torch
        names = kept = ['conv1', 'pool1']
        for name in (names):
            if name.startswith('z'):
                print(torch.ones(1))
    """,
    "tuple-without-brackets": """
        import torch
        kinds = 'conv', 'pool'
        for kind in kinds:
            if kind[-1] == 'q':
                print(torch.ones(1))
    """,
    "continued-line": """
        import torch
        for i, kind in enumerate( \\
                ['conv', 'pool']):
            if kind[0] == 'q':
                print(torch.ones(i))
    """,
    "numbers-first-float": """
        import torch
        for pair in [(.5, 1), (.25, 2)]:
            if pair[0] > 2:
                print(torch.ones(1))
    """,
}


@pytest.mark.parametrize("name", sorted(SPELLINGS))
def test_the_text_check_lets_every_spelling_through(name):
    findings = analyze(_text(SPELLINGS[name]), f"{name}.py", ONLY).findings
    assert len(findings) == 1, findings


def test_comment_banners_do_not_stall_the_text_check():
    """A run of `#` after `for ... in` (a banner comment) once made the text check's pattern
    try every way to split it into comments: the analysis never ended."""
    import subprocess
    import sys

    program = ('import torch\n\n"""Iterates for each item in\n' + "#" * 60 + '\n!"""\n\n'
               "for batch in loader:\n    if batch:\n        print(torch.ones(1))\n")
    code = ("import sys; from tensorlint.engine import analyze; from tensorlint.config import Config; "
            "print(len(analyze(sys.stdin.read(), 'banner.py', Config(select=('TL426',))).findings))")
    done = subprocess.run([sys.executable, "-c", code], input=program, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "0", done.stderr
