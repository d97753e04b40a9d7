"""TL228 masked-prediction-renormalized: a categorical cross-entropy on probabilities whose
prediction is multiplied by a mask that also multiplies the target or is made from it. Written
with Keras 2 (`keras.losses`, `keras.backend`), tf.keras, Keras 3 (`keras.ops`, the categorical
focal loss), a loss object,
`tf.multiply`, keywords, and names bound to the masked values; and the look-alikes that stay
silent: the mask on the per-position loss, binary and sparse cross-entropies, `from_logits=True`,
a constant scale, a weight on the target alone, a mask unrelated to the target. Each case marks its
expected findings with `# expect: TL228`."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from corpus_support import marked_and_found, only_finding

CASES = {
    "keras2-segmentation-mask-on-both": """
        from keras.losses import categorical_crossentropy

        def masked_categorical_crossentropy(gt, pr):
            mask = 1 - gt[:, :, 0:1]
            return categorical_crossentropy(gt * mask, pr * mask)  # expect: TL228
    """,
    "backend-mask-from-target-on-prediction-only": """
        from tensorflow.keras import backend as K

        def masked_loss_function(y_true, y_pred):
            mask = K.cast(K.not_equal(y_true, -1), K.floatx())
            return K.categorical_crossentropy(y_true, y_pred * mask)  # expect: TL228
    """,
    "tf-keras-names-bound-to-masked-values": """
        import tensorflow as tf

        def padded_sequence_loss(y_true, y_pred):
            keep = tf.cast(tf.reduce_any(y_true > 0, axis=-1, keepdims=True), tf.float32)
            masked_true = y_true * keep
            masked_pred = tf.multiply(y_pred, keep)
            return tf.keras.losses.categorical_crossentropy(masked_true, masked_pred)  # expect: TL228
    """,
    "loss-object-and-keywords": """
        import tensorflow as tf

        cce = tf.keras.losses.CategoricalCrossentropy()

        def loss_fn(labels, probs, valid):
            return cce(labels * valid, probs * valid)  # expect: TL228

        def by_keyword(y_true, y_pred, weights):
            m = tf.cast(tf.not_equal(y_true, 0), tf.float32)
            return tf.keras.losses.categorical_crossentropy(y_pred=y_pred * m, y_true=y_true)  # expect: TL228
    """,
    "keras3-ops": """
        import keras
        from keras import ops

        class MaskedCCE(keras.losses.Loss):
            def call(self, y_true, y_pred):
                mask = ops.cast(ops.not_equal(y_true, -1.0), "float32")
                return keras.losses.categorical_crossentropy(y_true * mask, y_pred * mask)  # expect: TL228
    """,
    "keras3-ops-function-and-focal-loss": """
        import keras
        from keras import ops

        def masked_ops(y_true, y_pred):
            mask = ops.cast(ops.not_equal(y_true, -1.0), "float32")
            return ops.categorical_crossentropy(y_true * mask, y_pred * mask)  # expect: TL228

        def masked_focal(y_true, y_pred):
            keep = ops.cast(ops.any(ops.not_equal(y_true, 0.0), axis=-1, keepdims=True), "float32")
            return keras.losses.categorical_focal_crossentropy(y_true * keep, y_pred * keep)  # expect: TL228
    """,
    # -- silent ----------------------------------------------------------------------------
    "mask-on-the-per-position-loss": """
        from keras.losses import categorical_crossentropy
        from tensorflow.keras import backend as K

        def masked_categorical_crossentropy(gt, pr):
            mask = 1 - gt[:, :, 0]
            return categorical_crossentropy(gt, pr) * mask

        def averaged(y_true, y_pred):
            mask = K.cast(K.not_equal(K.max(y_true, axis=-1), -1), K.floatx())
            return K.sum(K.categorical_crossentropy(y_true, y_pred) * mask) / K.sum(mask)
    """,
    "binary-and-sparse-do-not-renormalize": """
        import tensorflow as tf
        from tensorflow.keras import backend as K

        def masked_bce(y_true, y_pred):
            mask = K.cast(K.not_equal(y_true, -1), K.floatx())
            return K.binary_crossentropy(y_true * mask, y_pred * mask)

        def masked_sparse(y_true, y_pred):
            mask = tf.cast(tf.math.not_equal(y_true, 12), tf.float32)
            return tf.keras.losses.sparse_categorical_crossentropy(y_true * mask, y_pred * mask)
    """,
    "logits-scale-and-target-weights": """
        import tensorflow as tf
        from tensorflow.keras import backend as K

        def masked_logits_loss(y_true, logits):
            mask = tf.cast(tf.not_equal(y_true, -1), tf.float32)
            return tf.keras.losses.categorical_crossentropy(y_true * mask, logits * mask, from_logits=True)

        def weighted(y_true, y_pred, class_weights):
            return K.categorical_crossentropy(y_true * class_weights, y_pred)

        def tempered(y_true, y_pred):
            return K.categorical_crossentropy(y_true, y_pred * 2.0) + K.categorical_crossentropy(y_true, 0.5 * y_pred)
    """,
    "keras3-ops-binary-and-sparse": """
        from keras import ops

        def masked_ops_bce(y_true, y_pred):
            mask = ops.cast(ops.not_equal(y_true, -1.0), "float32")
            return ops.binary_crossentropy(y_true * mask, y_pred * mask)

        def masked_ops_sparse(y_true, y_pred):
            mask = ops.cast(ops.not_equal(y_true, -1), "float32")
            return ops.sparse_categorical_crossentropy(y_true, y_pred) * mask
    """,
    "mask-unrelated-to-the-target": """
        import tensorflow as tf

        def sharpen(y_true, y_pred, temperature):
            return tf.keras.losses.categorical_crossentropy(y_true, y_pred * temperature)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_masked_prediction_renormalized_written_several_ways(name):
    marked, found = marked_and_found("TL228", name, CASES[name])
    assert found == marked


def test_message_names_the_mask_and_the_nan():
    f = only_finding("TL228", CASES["keras2-segmentation-mask-on-both"])
    assert "multiplied by `mask`" in f.message
    assert "NaN" in f.message and "the same mask multiplies the target" in f.message


def test_cli_reports_the_loss_call(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(textwrap.dedent(CASES["backend-mask-from-target-on-prediction-only"]).lstrip("\n"))
    run = subprocess.run([sys.executable, "-m", "tensorlint", "check", str(path)], capture_output=True, text=True)
    assert run.returncode == 1
    assert "train.py:5:" in run.stdout and "TL228" in run.stdout
