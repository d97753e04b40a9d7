"""TL233: a resize given its size in the other library's order, as the values' names show
(OpenCV's (width, height) against the (height, width) of TensorFlow, PyTorch and Keras). The
command line on files; each bug is marked `# expect: TL233`, the look-alikes stay silent."""
from __future__ import annotations

import json
import textwrap

import pytest

from tensorlint.cli import main

CASES = {
    "keras_generator_cv2": """
    import cv2
    import numpy as np
    from keras.utils import Sequence


    class BatchGenerator(Sequence):
        def __init__(self, images, config):
            self.images = images
            self.config = config
            self.input_h, self.input_w = config['IMAGE_H'], config['IMAGE_W']

        def __getitem__(self, idx):
            image = cv2.imread(self.images[idx])
            a = cv2.resize(image, (self.config['IMAGE_H'], self.config['IMAGE_W']))  # expect: TL233
            b = cv2.resize(image, (self.input_h, self.input_w))  # expect: TL233
            size = (self.input_w, self.input_h)
            c = cv2.resize(image, size)
            d = cv2.resize(image, dsize=(self.config['IMAGE_W'], self.config['IMAGE_H']), interpolation=cv2.INTER_AREA)
            return np.stack([a, b, c, d])
    """,
    "tf_and_keras": """
    import tensorflow as tf
    from tensorflow.keras import layers

    img_rows, img_cols = 28, 56
    height, width = 180, 320


    def load(path):
        image = tf.io.decode_png(tf.io.read_file(path), channels=1)
        image = tf.image.resize(image, size=[img_cols, img_rows])  # expect: TL233
        return tf.image.resize(image, (height, width))


    augment = tf.keras.Sequential([
        layers.Resizing(width=width, height=height),
        layers.Resizing(width, height),  # expect: TL233
    ])
    legacy = tf.compat.v1.image.resize_images(tf.zeros([1, 8, 8, 1]), (int(width), int(height)))  # expect: TL233
    """,
    "torch": """
    import torch
    import torch.nn.functional as F
    from torchvision import transforms
    from torchvision.transforms import v2


    class Options:
        img_height, img_width = 256, 512


    opt = Options()
    train_tf = transforms.Compose([transforms.Resize((opt.img_width, opt.img_height)), transforms.ToTensor()])  # expect: TL233
    valid_tf = v2.Resize(size=(opt.img_height, opt.img_width))
    x = torch.randn(2, 3, 32, 32)
    out_h, out_w = 64, 128
    up = F.interpolate(x, (out_w, out_h), mode="bilinear")  # expect: TL233
    ok = F.interpolate(x, size=(out_h, out_w), mode="bilinear")
    """,
    "lookalikes": """
    import cv2
    import numpy as np
    import torch
    import torch.nn.functional as F
    from PIL import Image

    image = cv2.imread("a.jpg")
    h, w = image.shape[:2]
    side, scale = 224, 0.5
    a = cv2.resize(image, (side, side))
    b = cv2.resize(image, (int(w * scale), int(h * scale)))
    c = cv2.resize(image, (0, 0), fx=scale, fy=scale)
    d = cv2.resize(image, (w // 2, h // 2))
    e = Image.open("a.png").resize((w, h))
    f = np.zeros(8)
    f.resize((h, w))
    g = F.interpolate(torch.zeros(1, 3, 8, 8), size=(h, w))
    shape_hw = (64, 32)
    i = cv2.resize(image, shape_hw)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_resize_size_order(tmp_path, capsys, name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    path = tmp_path / f"{name}.py"
    path.write_text(text)
    assert main(["check", "--format", "json", "--no-cache", "--exit-zero", "--select", "TL233", str(path)]) == 0
    found = json.loads(capsys.readouterr().out)
    expected = [i for i, line in enumerate(text.splitlines(), 1) if "# expect: TL233" in line]
    assert sorted(f["location"]["row"] for f in found) == expected
    assert all("a non-square image is resized transposed" in f["message"] for f in found)
