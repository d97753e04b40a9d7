"""Keras' image augmentation and resizing layers (`RandomFlip`, `RandomRotation`, `RandomZoom`,
`RandomCrop`, `Resizing`, ...), against Keras applied to a symbolic input: random valid
configurations written several ways (positional and keyword arguments, integer and float
inputs, alone and in a Sequential) must give the shape and dtype Keras gives."""
from __future__ import annotations

import pytest

from ._harness import CASES_PER_FAMILY, disagreement, import_keras, inferred, known, rng

keras = import_keras()

pytestmark = pytest.mark.differential

HEADER = "import keras\n"


def _layer(r, h, w):
    th, tw = r.randint(1, h), r.randint(1, w)
    return r.choice([
        "keras.layers.RandomFlip()", "keras.layers.RandomFlip('horizontal')", "keras.layers.RandomFlip(mode='vertical')",
        "keras.layers.RandomRotation(0.2)", "keras.layers.RandomRotation(factor=0.1, fill_mode='nearest')",
        "keras.layers.RandomZoom(0.1)", "keras.layers.RandomZoom(height_factor=0.2, width_factor=0.1)",
        "keras.layers.RandomTranslation(0.1, 0.1)", "keras.layers.RandomContrast(0.2)",
        f"keras.layers.Resizing({th}, {tw})", f"keras.layers.Resizing(height={th}, width={tw})",
        f"keras.layers.CenterCrop({th}, {tw})", f"keras.layers.RandomCrop({th}, {tw})",
    ])


def test_augmentation_layers_agree_with_keras():
    r = rng("keras-augment")
    for _ in range(CASES_PER_FAMILY * 2):
        h, w, c = r.randint(4, 12), r.randint(4, 12), r.choice([1, 3])
        dtype = r.choice(["uint8", "float32", "float64"])
        layers = [_layer(r, h, w) for _ in range(r.randint(1, 2))]
        if len(layers) == 2 and all("Crop" in x or "Resizing" in x for x in layers):
            layers = layers[:1]
        x = f"x = keras.Input(({h}, {w}, {c}), dtype='{dtype}')\n"
        if len(layers) == 1:
            code = x + f"out = {layers[0]}(x)"
        else:
            code = x + f"out = keras.Sequential([{', '.join(layers)}])(x)"
        env = {"keras": keras}
        exec(code, env)  # noqa: S102 - generated test code
        out = env["out"]
        real = tuple(out.shape), str(out.dtype)
        engine = inferred(HEADER + code)
        assert disagreement(engine, *real, batch_symbol="B") is None, (code, engine, real)
        assert known(engine), (code, engine, real)
