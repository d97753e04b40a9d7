from tensorlint.findings import Severity
from tensorlint.frameworks.keras.legacy import LEGACY_KWARGS, LEGACY_NAMES, LEGACY_POSITIONAL, KERNEL_PARTS
from tensorlint.frameworks.layer_keywords import KERAS_LAYER_KEYWORDS, TORCH_MODULE_KEYWORDS
from tensorlint.rule import Rule

from ._common import imported_qualname, module_names
from ._trees import calls_named

# Keyword names some Keras release took that Keras 3 no longer does (Keras 1, Keras 2 with its
# legacy interfaces, tf.keras 2): a program written for that release may pass them, so they are
# never reported, on any layer.
_OLD_KERAS_KEYWORDS = frozenset(LEGACY_KWARGS) | frozenset(KERNEL_PARTS) | frozenset({
    "W_regularizer", "b_regularizer", "W_constraint", "b_constraint", "U_regularizer", "U_constraint", "U_init",
    "W_learning_rate_multiplier", "b_learning_rate_multiplier", "bias", "dropout_W", "dropout_U", "inner_init",
    "inner_activation", "forget_bias_init", "consume_less", "input_dtype", "create_input_layer", "mode",
    "beta_init", "gamma_init", "nb_feature", "output_shape", "arguments", "mask", "time_major", "fused", "renorm",
    "renorm_clipping", "renorm_momentum", "virtual_batch_size", "adjustment", "dynamic", "implementation",
    "input_length", "reset_after", "ragged", "sparse", "batch_shape", "tensor", "input_tensor", "type_spec",
    "noise_shape", "seed", "stateful", "unroll", "return_state", "return_sequences", "go_backwards",
    "output_padding", "upsampling", "size", "interpolation", "cropping", "dims", "n", "sigma", "stddev",
    "return_attention_scores", "causal", "use_scale", "dropout", "recurrent_dropout", "depth_multiplier",
    "layer", "merge_mode", "backward_layer", "cell", "cells", "concat_axis", "dot_axes", "output_mask",
    "node_indices", "tensor_indices", "weights", "trainable", "name", "dtype", "input_shape", "batch_input_shape",
    "batch_size", "input_dim", "activity_regularizer", "autocast",
})


def _distance(a: str, b: str, limit: int) -> int:
    """Edit distance of `a` and `b` (insertions, deletions, substitutions and swaps of neighbours),
    or `limit + 1` once it is certainly above `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _near(keyword: str, known: frozenset) -> list:
    """The known names one slip away from `keyword` (one edit for names of up to five letters, two
    for longer ones), nearest first."""
    limit = 1 if len(keyword) <= 5 else 2
    found = sorted((_distance(keyword, k, limit), k) for k in known)
    return [k for d, k in found if d <= limit]


# the last names of the layers `_keywords_of` knows (`_trees.calls_named`)
_LAYER_NAMES = tuple(sorted(set(LEGACY_POSITIONAL) | set(LEGACY_NAMES) | set(KERAS_LAYER_KEYWORDS)
                           | set(TORCH_MODULE_KEYWORDS)))


def _keywords_of(qualname: str):
    """(framework label, the layer's name, the keywords its constructor takes, names some other
    release took) for a Keras layer or torch.nn module the table knows; None otherwise."""
    head, _, name = qualname.rpartition(".")
    if head == "keras.layers":
        current = LEGACY_POSITIONAL.get(name, (LEGACY_NAMES.get(name, name),))[0]
        known = KERAS_LAYER_KEYWORDS.get(current)
        return None if known is None else ("Keras", name, known, _OLD_KERAS_KEYWORDS)
    if head == "torch.nn":
        known = TORCH_MODULE_KEYWORDS.get(name)
        return None if known is None else ("torch", name, known, frozenset())
    return None


class MisspelledLayerKeyword(Rule):
    """
    ## What it does
    Finds a Keras layer or a `torch.nn` module built with a keyword argument that its constructor
    does not take and that is one slip of the keyboard away from one it does take:
    `Conv2D(64, 3, paddig="same")`, `Dense(10, activaton="softmax")`, `nn.Conv2d(3, 16,
    kernal_size=3)`. The layer must be the framework's own, reached through an import; the keywords
    each constructor takes are those of Keras 3 and PyTorch, and a keyword that Keras 1, Keras 2 or
    tf.keras 2 took (`border_mode`, `W_regularizer`, `input_length`, `time_major`...) is never
    reported.

    ## Why is this bad?
    A layer's constructor rejects a keyword it does not know: Keras raises `TypeError: Keyword
    argument not understood` (Keras 1 and 2) or `ValueError: Unrecognized keyword arguments`
    (Keras 3), torch raises `TypeError: got an unexpected keyword argument`. The model is never
    built; and where the call sits in a function that only some configurations reach, the
    script fails only in those.

    ## Example
    ```python
    x = Conv2D(64, (3, 3), padding="same", use_bais=False)(x)
    ```

    ## Use instead
    ```python
    x = Conv2D(64, (3, 3), padding="same", use_bias=False)(x)
    ```

    ## Fix safety
    There is no automatic fix: the keyword meant may not be the nearest one.
    """

    code = "TL227"
    name = "misspelled-layer-keyword"
    severity = Severity.ERROR
    summary = "A Keras layer or torch.nn module built with a keyword its constructor does not take, one slip away from one it does."
    failing = (
        "from keras.layers import Input, Conv2D\n\ninp = Input((32, 32, 3))\n"
        "x = Conv2D(64, (3, 3), padding='same', use_bais=False)(inp)  # TL227\n",
        "import tensorflow as tf\n\nmodel = tf.keras.Sequential([\n"
        "    tf.keras.layers.Dense(64, activaton='relu', input_shape=(8,)),  # TL227\n"
        "    tf.keras.layers.Dense(1),\n])\n",
        "import torch.nn as nn\n\nconv = nn.Conv2d(3, 16, kernal_size=3)  # TL227\n",
    )
    passing = (
        "from keras.layers import Input, Conv2D\n\ninp = Input((32, 32, 3))\n"
        "x = Conv2D(64, (3, 3), padding='same', use_bias=False)(inp)\n",
        "import torch.nn as nn\n\nconv = nn.Conv2d(3, 16, kernel_size=3)\n",
    )
    lookalikes = (
        # Keras 1 and 2 spellings, which those releases took
        "from keras.layers import Convolution2D, Dense, LSTM, BatchNormalization\n\n"
        "c = Convolution2D(32, 3, 3, border_mode='same', init='he_normal', bias=False, W_regularizer=None)\n"
        "d = Dense(10, init='uniform', output_dim=10)\nr = LSTM(32, consume_less='gpu', dropout_W=0.2)\n"
        "b = BatchNormalization(mode=0, fused=True)\n",
        # a layer class of the file with the framework's name, a keyword far from every known one,
        # a keyword passed through **options
        "import torch.nn as nn\n\n\nclass Dense(nn.Module):\n    def __init__(self, units, activaton=None):\n"
        "        super().__init__()\n\n\nd = Dense(4, activaton='relu')\nopts = {'kernal_size': 3}\n"
        "c = nn.Conv2d(3, 16, 3, **opts)\n",
    )

    def on_module(self, ctx, ev):
        env = None
        for call in calls_named(ctx, _LAYER_NAMES):
            if not any(a.keyword is not None for a in call.args):
                continue
            env = env if env is not None else module_names(ctx)
            qualname = imported_qualname(env, call.func)
            found = _keywords_of(qualname) if qualname else None
            if found is None:
                continue
            framework, layer, known, old = found
            for arg in call.args:
                if arg.keyword is None or arg.star:
                    continue
                keyword = arg.keyword.value
                if keyword in known or keyword in old:
                    continue
                near = _near(keyword, known | old)
                if not near:
                    continue
                guess = " or ".join(f"`{k}`" for k in near[:2])
                ctx.report(self, arg.keyword,
                           f"{framework}'s {layer} takes no keyword `{keyword}` (did you mean {guess}?): building "
                           f"the layer raises an error for the unknown keyword")

