from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Dataset, Tensor

from ._common import value_name

_TRAINING = frozenset({"fit", "train_on_batch"})  # (`fit_generator` arrives as `fit`)
_INFERENCE = frozenset({"predict", "predict_on_batch", "evaluate", "test_on_batch"})
_PIXELS = 255.0


def _largest(x):
    """The largest |value| known of the input `x` (a tensor, or the images of a dataset)."""
    if isinstance(x, Dataset) and x.tensors:
        x = x.tensors[0]
    if not isinstance(x, Tensor) or not x.magnitude or x.magnitude[1] is None or x.labels:
        return None
    return x.magnitude[1]


def _apart(a: float, b: float) -> bool:
    """One side holds 8-bit pixel values (up to 255), the other values scaled to at most 1."""
    return a == _PIXELS and 0 < b <= 1.0 or b == _PIXELS and 0 < a <= 1.0


class InferencePixelsScaledUnlikeTraining(Rule):
    """
    ## What it does
    Finds a Keras model asked to predict or evaluate on images whose pixel values are on another
    scale than the images it was trained on: trained on images scaled to [0, 1]
    (`ImageDataGenerator(rescale=1/255)`, `x_train / 255.0`) and given raw 8-bit pixels, up to
    255 (`img_to_array(load_img(path))`, `x_test` as `load_data()` returns it, a generator
    without `rescale=`), or the other way round.

    ## Why is this bad?
    The weights were fitted to inputs of one scale. On inputs 255 times larger (or smaller) every
    activation is out of the range seen in training, and the predictions or the evaluation
    figures are meaningless, usually one class for everything. Nothing fails.

    ## Example
    ```python
    train = ImageDataGenerator(rescale=1/255).flow_from_directory("train/", target_size=(150, 150))
    model.fit(train, epochs=15)
    x = img_to_array(load_img("cat.jpg", target_size=(150, 150)))
    model.predict(np.expand_dims(x, 0))
    ```

    ## Use instead
    ```python
    model.predict(np.expand_dims(x / 255.0, 0))
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "TL512"
    name = "inference-pixels-scaled-unlike-training"
    severity = Severity.WARNING
    summary = "A model trained on images scaled to [0, 1] predicts or evaluates on raw 0-255 pixels (or the reverse)."
    failing = (
        "import numpy as np\nimport tensorflow as tf\n\n(x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()\n"
        "model = tf.keras.Sequential([tf.keras.layers.Flatten(input_shape=(28, 28)), tf.keras.layers.Dense(10, activation='softmax')])\n"
        "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
        "model.fit(x_train / 255.0, y_train, epochs=5)\n"
        "model.evaluate(x_test, y_test)  # TL512\n",
        "import numpy as np\nimport tensorflow as tf\nfrom tensorflow.keras.preprocessing.image import ImageDataGenerator, load_img, img_to_array\n\n"
        "model = tf.keras.Sequential([tf.keras.layers.Conv2D(8, 3, input_shape=(150, 150, 3)), tf.keras.layers.Flatten(),\n"
        "                             tf.keras.layers.Dense(1, activation='sigmoid')])\n"
        "model.compile(optimizer='adam', loss='binary_crossentropy')\n"
        "train = ImageDataGenerator(rescale=1/255).flow_from_directory('data/', target_size=(150, 150), class_mode='binary')\n"
        "model.fit(train, epochs=15)\n"
        "x = img_to_array(load_img('cat.jpg', target_size=(150, 150)))\n"
        "print(model.predict(np.expand_dims(x, axis=0)))  # TL512\n",
    )
    passing = (
        "import numpy as np\nimport tensorflow as tf\n\n(x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()\n"
        "model = tf.keras.Sequential([tf.keras.layers.Flatten(input_shape=(28, 28)), tf.keras.layers.Dense(10, activation='softmax')])\n"
        "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
        "model.fit(x_train / 255.0, y_train, epochs=5)\n"
        "model.evaluate(x_test / 255.0, y_test)\n",
    )
    lookalikes = (
        # raw pixels in training and in prediction: the same scale (a Rescaling layer may be inside)
        "import numpy as np\nimport tensorflow as tf\n\n(x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()\n"
        "model = tf.keras.Sequential([tf.keras.layers.Rescaling(1/255, input_shape=(28, 28)), tf.keras.layers.Flatten(),\n"
        "                             tf.keras.layers.Dense(10, activation='softmax')])\n"
        "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
        "model.fit(x_train, y_train, epochs=5)\n"
        "model.predict(x_test)\n",
    )

    def on_fit(self, ctx, ev):
        if ev.method not in _TRAINING and ev.method not in _INFERENCE:
            return
        largest = _largest(ev.x)
        if largest is None:
            return
        trained = ctx.__dict__.setdefault("_tl512_trained", {})  # id(model) -> [(model, largest, node)]
        if ev.method in _TRAINING:
            trained.setdefault(id(ev.model), []).append((ev.model, largest, ev.node))
            return
        fits = [(v, node) for model, v, node in trained.get(id(ev.model), ()) if model is ev.model]
        if not fits or not all(_apart(largest, v) for v, _ in fits):
            return  # not trained here, or trained on this scale too
        v, node = fits[-1]
        x = ev.x.tensors[0] if isinstance(ev.x, Dataset) else ev.x
        now = "raw pixels up to 255" if largest == _PIXELS else f"values scaled to at most {largest:g}"
        then = "raw pixels up to 255" if v == _PIXELS else f"values scaled to at most {v:g}"
        ctx.report(self, ev.node,
                   f"{value_name(ctx, x)} holds {now}, but the model was trained (line {ctx.line(node)}) on {then}: "
                   f"scale the images the way the training images were scaled",
                   related=[(node, "the model is trained here")])
