"""TL437: an option with fixed choices (absl `DEFINE_enum`, argparse `choices=`) compared with a
string it can never hold. Written several ways; the look-alikes compare with a value the option
can hold, or with an option whose values the program does not fix."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL437",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src), "train.py", ONLY).findings)


BUGS = {
    # the yolov3-tf2 train script: a value of --transfer tested on --mode
    "absl-enum-other-flag": ("""
        import tensorflow as tf
        from absl import app, flags
        from absl.flags import FLAGS

        flags.DEFINE_enum('mode', 'fit', ['fit', 'eager_fit', 'eager_tf'], 'how to train')
        flags.DEFINE_enum('transfer', 'none', ['none', 'darknet', 'fine_tune', 'frozen'], 'what to load')

        def main(_argv):
            model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
            if FLAGS.transfer == 'fine_tune':
                model.layers[0].trainable = False
            elif FLAGS.mode == 'frozen':
                model.trainable = False
    """, [13]),
    # tf.compat.v1 flags, keyword arguments, the literal on the left, `!=`
    "tf-flags-keywords": ("""
        import tensorflow as tf
        flags = tf.compat.v1.flags
        FLAGS = flags.FLAGS
        flags.DEFINE_enum(name='optimizer', default='adam', enum_values=('adam', 'sgd'), help='optimizer')

        def make_optimizer():
            if 'Adam' != FLAGS.optimizer:
                return tf.keras.optimizers.SGD(0.1)
            return tf.keras.optimizers.Adam()
    """, [8]),
    # argparse: a dest from the long option, parse_known_args, a typo'd choice
    "argparse-long-option": ("""
        import argparse
        import keras

        parser = argparse.ArgumentParser()
        parser.add_argument('-l', '--loss-kind', choices=['mse', 'mae'], default='mse')
        args, _ = parser.parse_known_args()
        loss = 'mean_squared_error' if args.loss_kind == 'MSE' else 'mean_absolute_error'
        model = keras.Sequential([keras.layers.Dense(1)])
        model.compile(optimizer='adam', loss=loss)
    """, [8]),
    # argparse: dest=, read in a function of the same file
    "argparse-dest": ("""
        import argparse
        import torch

        def get_args():
            p = argparse.ArgumentParser()
            p.add_argument('--sched', dest='schedule', choices=('step', 'cosine'))
            return p

        opts = get_args().parse_args()

        def scheduler(opt):
            if opts.schedule == 'plateau':
                return torch.optim.lr_scheduler.ReduceLROnPlateau(opt)
            return None
    """, [13]),
}

LOOKALIKES = {
    "value-in-choices": """
        import tensorflow as tf
        from absl import flags
        FLAGS = flags.FLAGS
        flags.DEFINE_enum('mode', 'fit', ['fit', 'eager_fit'], 'how')
        if FLAGS.mode == 'eager_fit':
            tf.config.run_functions_eagerly(True)
    """,
    "argparse-default-outside-choices": """
        import argparse
        import torch
        p = argparse.ArgumentParser()
        p.add_argument('--device', choices=['cpu', 'cuda'], default='auto')
        args = p.parse_args()
        device = torch.device('cuda' if args.device == 'auto' and torch.cuda.is_available() else 'cpu')
    """,
    "option-without-choices": """
        import argparse
        import torch
        p = argparse.ArgumentParser()
        p.add_argument('--mode', default='train')
        args = p.parse_args()
        if args.mode == 'export':
            torch.save({}, 'model.pt')
    """,
    "option-changed-by-the-program": """
        import argparse
        import torch
        p = argparse.ArgumentParser()
        p.add_argument('--mode', choices=['train', 'test'], default='train')
        p.set_defaults(mode='export')
        args = p.parse_args()
        if args.mode == 'export':
            torch.save({}, 'model.pt')
    """,
    "option-set-by-assignment": """
        import argparse
        import torch
        p = argparse.ArgumentParser()
        p.add_argument('--mode', choices=['train', 'test'], default='train')
        args = p.parse_args()
        if not torch.cuda.is_available():
            args.mode = 'cpu-test'
        if args.mode == 'cpu-test':
            print('testing on the CPU')
    """,
    "a-list-option": """
        import argparse
        import torch
        p = argparse.ArgumentParser()
        p.add_argument('--splits', nargs='+', choices=['train', 'test'])
        args = p.parse_args()
        print(args.splits == 'all')
    """,
    "another-object-with-that-attribute": """
        import argparse
        import torch
        p = argparse.ArgumentParser()
        p.add_argument('--mode', choices=['train', 'test'])
        args = p.parse_args()
        cfg = torch.load('config.pt')
        if cfg.mode == 'export':
            print('export')
    """,
    "two-parsers-two-sets-of-choices": """
        import argparse
        import torch
        a = argparse.ArgumentParser()
        a.add_argument('--mode', choices=['train', 'test'])
        b = argparse.ArgumentParser()
        b.add_argument('--mode', choices=['export', 'serve'])
        args = a.parse_args()
        if args.mode == 'export':
            print('export')
    """,
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_comparison_outside_choices_is_reported(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalikes_stay_silent(name):
    assert _lines(LOOKALIKES[name]) == []


def test_the_message_names_the_choices():
    src, _ = BUGS["absl-enum-other-flag"]
    [finding] = analyze(textwrap.dedent(src), "train.py", ONLY).findings
    assert "'frozen'" in finding.message and "'eager_tf'" in finding.message and "always False" in finding.message
