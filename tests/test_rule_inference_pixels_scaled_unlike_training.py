"""TL512 inference-pixels-scaled-unlike-training, and the facts it reads: the images that
`ImageDataGenerator(rescale=...)` serves (`flow_from_directory`, `flow`) carry their largest
value (255 times the factor; unknown where another setting changes the values), an image read
with `load_img(path, target_size=(h, w))` becomes an array (h, w, channels) of pixels up to 255
through `img_to_array`, and a join (`np.vstack([x])`, `np.concatenate`) keeps its parts' largest
value. Written several ways: a generator trained model given an uploaded image through
`expand_dims` and `vstack` (the Coursera horses-or-humans notebooks), MNIST from `load_data()`
divided by 255 for `fit` but not for `evaluate` or `predict`, the reverse (raw pixels in
training, scaled ones in prediction), `train_on_batch` and Keras 2's `fit_generator`, and a test
generator built without `rescale=`. The look-alikes: both sides scaled, both raw (a `Rescaling`
layer inside), a generator whose values another setting changes (`preprocessing_function`,
`featurewise_center`), a factor the file does not fix, a model that was never trained in the
file, another model trained on scaled data, and a model trained on both scales. Each case marks
its expected findings with `# expect: TL512` (and `TL203` where the loaded image's size is
wrong)."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

_MODEL = """
    import numpy as np
    import tensorflow as tf
    from tensorflow.keras.preprocessing.image import ImageDataGenerator
    from keras.preprocessing import image

    model = tf.keras.models.Sequential([
        tf.keras.layers.Conv2D(16, (3, 3), activation='relu', input_shape=(150, 150, 3)),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(1, activation='sigmoid'),
    ])
    model.compile(loss='binary_crossentropy', optimizer='adam')
"""

CASES = {
    "generator-then-uploaded-image-vstack": _MODEL + """
    train_datagen = ImageDataGenerator(rescale=1/255)
    train_generator = train_datagen.flow_from_directory('./horse-or-human/', target_size=(150, 150),
                                                        batch_size=128, class_mode='binary')
    history = model.fit(train_generator, steps_per_epoch=8, epochs=15)
    for fn in ['a.jpg', 'b.jpg']:
        img = image.load_img(fn, target_size=(150, 150))
        x = image.img_to_array(img)
        x = np.expand_dims(x, axis=0)
        images = np.vstack([x])
        classes = model.predict(images, batch_size=10)  # expect: TL512
    """,
    "generator-then-image-of-the-wrong-size": _MODEL + """
    train = ImageDataGenerator(rescale=1./255).flow_from_directory('data/', target_size=(150, 150), class_mode='binary')
    model.fit(train, epochs=2)
    x = image.img_to_array(image.load_img('a.jpg', target_size=(300, 300)))
    x /= 255.
    model.predict(x[None])  # expect: TL203
    """,
    "fit-generator-and-test-generator-without-rescale": _MODEL + """
    train = ImageDataGenerator(rescale=1./255, horizontal_flip=True, zoom_range=0.2)
    test = ImageDataGenerator()
    model.fit_generator(train.flow_from_directory('train/', target_size=(150, 150), class_mode='binary'), 100, epochs=3)
    score = model.evaluate(test.flow_from_directory('test/', target_size=(150, 150), class_mode='binary'))  # expect: TL512
    """,
    "mnist-scaled-for-fit-only": """
    import tensorflow as tf

    mnist = tf.keras.datasets.mnist
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    x_train = x_train.astype('float32') / 255
    model = tf.keras.Sequential([tf.keras.layers.Flatten(input_shape=(28, 28)), tf.keras.layers.Dense(10, activation='softmax')])
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
    model.fit(x_train, y_train, epochs=5)
    model.evaluate(x_test, y_test)  # expect: TL512
    predictions = model.predict(x_test[:10])  # expect: TL512
    """,
    "raw-for-train-on-batch-scaled-for-predict": """
    import numpy as np
    from tensorflow import keras

    (x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
    model = keras.Sequential([keras.layers.Flatten(input_shape=(32, 32, 3)), keras.layers.Dense(10, activation='softmax')])
    model.compile(optimizer='sgd', loss='sparse_categorical_crossentropy')
    for i in range(0, 50000, 64):
        model.train_on_batch(x_train[i:i + 64], y_train[i:i + 64])
    x_test = x_test / 255.0
    model.predict(x_test)  # expect: TL512
    """,
    "ok-scaled-alike": _MODEL + """
    train = ImageDataGenerator(rescale=1/255).flow_from_directory('data/', target_size=(150, 150), class_mode='binary')
    val = ImageDataGenerator(rescale=1/255).flow_from_directory('val/', target_size=(150, 150), class_mode='binary')
    model.fit(train, validation_data=val, epochs=2)
    model.evaluate(val)
    x = image.img_to_array(image.load_img('a.jpg', target_size=(150, 150)))
    x = x / 255.0
    model.predict(np.vstack([np.expand_dims(x, 0)]))
    """,
    "ok-raw-alike-with-rescaling-layer": """
    import tensorflow as tf
    from tensorflow.keras.preprocessing.image import ImageDataGenerator, load_img, img_to_array

    model = tf.keras.Sequential([tf.keras.layers.Rescaling(1. / 255, input_shape=(64, 64, 3)), tf.keras.layers.Flatten(),
                                 tf.keras.layers.Dense(2, activation='softmax')])
    model.compile(optimizer='adam', loss='categorical_crossentropy')
    model.fit(ImageDataGenerator().flow_from_directory('d/', target_size=(64, 64)), epochs=1)
    model.predict(img_to_array(load_img('a.png', target_size=(64, 64)))[None])
    """,
    "ok-values-changed-otherwise-or-unknown": _MODEL + """
    def prep(img):
        return img / 127.5 - 1

    factor = float(open('scale.txt').read())
    a = ImageDataGenerator(rescale=1/255, featurewise_center=True).flow_from_directory('d/', target_size=(150, 150), class_mode='binary')
    b = ImageDataGenerator(preprocessing_function=prep).flow_from_directory('d/', target_size=(150, 150), class_mode='binary')
    c = ImageDataGenerator(rescale=factor).flow_from_directory('d/', target_size=(150, 150), class_mode='binary')
    model.fit(a, epochs=1)
    model.fit(b, epochs=1)
    model.fit(c, epochs=1)
    model.predict(image.img_to_array(image.load_img('a.jpg', target_size=(150, 150)))[None])
    """,
    "ok-other-or-untrained-model-or-both-scales": """
    import tensorflow as tf

    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
    def build():
        m = tf.keras.Sequential([tf.keras.layers.Flatten(input_shape=(28, 28)), tf.keras.layers.Dense(10, activation='softmax')])
        m.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
        return m
    scaled, fresh, both = build(), build(), build()
    scaled.fit(x_train / 255.0, y_train)
    fresh.predict(x_test)
    both.fit(x_train / 255.0, y_train)
    both.fit(x_train, y_train)
    both.predict(x_test)
    loaded = tf.keras.models.load_model('m.h5')
    loaded.predict(x_test)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_inference_pixels_scaled_unlike_training(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config(select=("ALL",))).findings
             if f.code in ("TL512", "TL203")}
    assert found == _expected(text)


def test_message_names_both_scales_and_the_training_call():
    text = textwrap.dedent(CASES["mnist-scaled-for-fit-only"]).lstrip("\n")
    f = next(f for f in analyze(text, "t.py", Config(select=("ALL",))).findings if f.code == "TL512")
    assert "raw pixels up to 255" in f.message and "at most 1" in f.message and "line 8" in f.message
    assert f.related and f.related[0].span.start.line == 8


def test_loaded_image_shapes():
    text = textwrap.dedent("""
    import numpy as np
    from tensorflow.keras.utils import load_img, img_to_array

    a = img_to_array(load_img('a.png', target_size=(32, 48)))
    b = img_to_array(load_img('a.png', color_mode='grayscale', target_size=(32, 48)))
    c = img_to_array(load_img('a.png', target_size=(32, 48)), data_format='channels_first')
    d = img_to_array(load_img('a.png'))
    e = img_to_array(load_img('a.png', False, 'rgb', (32, 48)))
    """).lstrip("\n")
    values = {}
    for v in analyze(text, "t.py", Config(select=("ALL",)), collect_values=True).values:
        values.setdefault(v.span.start.line, []).append(v.text)
    assert values.get(4) == ["ndarray[32, 48, 3] float32"] and values.get(5) == ["ndarray[32, 48, 1] float32"]
    assert values.get(6) == ["ndarray[3, 32, 48] float32"]
    assert 7 not in values and 8 not in values  # the file's own size; settings by position
