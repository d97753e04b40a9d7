"""Keras models wrapped for scikit-learn (`KerasClassifier` / `KerasRegressor`) are built and
fitted as the wrapper does when the program fits them, alone, through `GridSearchCV` /
`RandomizedSearchCV` or through `cross_val_score`: the build function runs with the
parameters the wrapper's keywords give it and, for a search, once per combination of the grid's
candidates (literals, or a list of literals bound to a name), so the shape checks see every
model the search builds and the data it is fitted on. Look-alikes stay silent: a grid whose
candidates all build, a grid of more combinations than are followed, a grid the program does
not write out, class labels the classifier re-encodes."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ALL = Config(select=("ALL",))

IMPORTS = {
    "keras2": "from keras.models import Sequential\nfrom keras.layers import Conv2D, Dense, Flatten\n"
              "from keras.wrappers.scikit_learn import KerasClassifier, KerasRegressor",
    "tf.keras": "from tensorflow.keras.models import Sequential\nfrom tensorflow.keras.layers import Conv2D, Dense, Flatten\n"
                "from tensorflow.keras.wrappers.scikit_learn import KerasClassifier, KerasRegressor",
}

# a channels-first input declared to a channels-last convolution: a 3x3 kernel over a height of 1
CONV_BUILD = """
import numpy as np
from sklearn.model_selection import GridSearchCV, cross_val_score
{imports}

x = np.random.rand(200, 1, 28, 28).astype("float32")
y = np.random.randint(0, 10, size=200)

def make_model(filters, kernel, units=32):
    model = Sequential()
    model.add(Conv2D(filters, (kernel, kernel), input_shape=(1, 28, 28)))
    model.add(Flatten())
    model.add(Dense(units, activation="relu"))
    model.add(Dense(10, activation="softmax"))
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    return model

{fit}
"""

FITS = {
    "grid literal": "search = GridSearchCV(KerasClassifier(make_model, epochs=2), param_grid={{'filters': [8], 'kernel': [{k}], "
                    "'units': [16, 32]}})\nsearch.fit(x, y)",
    "grid dict()": "grid = GridSearchCV(estimator=KerasClassifier(build_fn=make_model), param_grid=dict(filters=[8], kernel=[{k}]))\n"
                   "grid.fit(x, y)",
    "wrapper keywords": "clf = KerasClassifier(build_fn=make_model, filters=8, kernel={k}, batch_size=16)\nclf.fit(x, y)",
    "cross_val_score": "scores = cross_val_score(KerasClassifier(build_fn=make_model, filters=8, kernel={k}), x, y, cv=3)",
}


def codes(text: str) -> list[tuple[str, int]]:
    return sorted((f.code, f.line) for f in analyze(textwrap.dedent(text).lstrip("\n"), "t.py", ALL).findings
                  if f.code != "TL308")


def conv_line(text: str) -> int:
    return next(i for i, line in enumerate(textwrap.dedent(text).lstrip("\n").splitlines(), 1) if "Conv2D(filters" in line)


@pytest.mark.parametrize("fit", sorted(FITS))
@pytest.mark.parametrize("imports", sorted(IMPORTS))
def test_build_function_runs_with_the_wrapper_parameters(imports, fit):
    text = CONV_BUILD.format(imports=IMPORTS[imports], fit=FITS[fit].format(k=3))
    assert codes(text) == [("TL209", conv_line(text))]


@pytest.mark.parametrize("fit", sorted(FITS))
def test_a_kernel_that_fits_is_silent(fit):
    # a 1x1 kernel over the height of 1 computes a map: nothing to report
    assert codes(CONV_BUILD.format(imports=IMPORTS["keras2"], fit=FITS[fit].format(k=1))) == []


@pytest.mark.parametrize("fit", [
    # several candidates, every one of which builds
    "search = GridSearchCV(KerasClassifier(make_model, filters=8), param_grid={'kernel': [1], 'units': [8, 16]})\n"
    "search.fit(x, y)",
    # more combinations than are followed (2 x 5): the parameters of several candidates stay unknown
    "search = GridSearchCV(KerasClassifier(make_model, filters=8), param_grid={'kernel': [1, 3], "
    "'units': [8, 16, 32, 64, 128]})\nsearch.fit(x, y)",
    # a randomized search that draws fewer models than there are candidates may never draw the 3
    "search = RandomizedSearchCV(KerasClassifier(make_model, filters=8), {'kernel': [1, 3]}, n_iter=1)\nsearch.fit(x, y)",
    # a grid built elsewhere may set any parameter
    "grid = {'filters': [8], 'kernel': [3]}\nsearch = GridSearchCV(KerasClassifier(make_model), grid)\nsearch.fit(x, y)",
    # built but never fitted
    "clf = KerasClassifier(build_fn=make_model, filters=8, kernel=3)",
])
def test_unknown_or_unfitted_parameters_stay_silent(fit):
    text = CONV_BUILD.replace("GridSearchCV, cross_val_score", "GridSearchCV, RandomizedSearchCV, cross_val_score")
    assert codes(text.format(imports=IMPORTS["tf.keras"], fit=fit)) == []


@pytest.mark.parametrize("fit", [
    "search = GridSearchCV(KerasClassifier(make_model, filters=8), param_grid={'kernel': [1, 3]})\nsearch.fit(x, y)",
    "kernels = [1, 3]\nsearch = GridSearchCV(KerasClassifier(make_model), param_grid=dict(filters=[8], kernel=kernels))\n"
    "search.fit(x, y)",
    "search = RandomizedSearchCV(KerasClassifier(make_model, filters=8), param_distributions={'kernel': (3, 1)}, n_iter=2)\n"
    "search.fit(x, y)",
])
@pytest.mark.parametrize("imports", sorted(IMPORTS))
def test_each_candidate_of_a_grid_is_built(imports, fit):
    # the search builds a model for every candidate: the one with a 3x3 kernel cannot be built
    text = CONV_BUILD.replace("GridSearchCV, cross_val_score", "GridSearchCV, RandomizedSearchCV, cross_val_score")
    text = text.format(imports=IMPORTS[imports], fit=fit)
    assert codes(text) == [("TL209", conv_line(text))]


HIDDEN = """
import numpy as np
from sklearn.model_selection import GridSearchCV
{imports}

x = np.random.rand(100, 20)
y = np.random.randint(0, 3, size=100)

def make_model(dense_layer_sizes):
    model = Sequential()
    model.add(Dense(64, input_shape=(20,), activation="relu"))
    for size in dense_layer_sizes:
        model.add(Dense(size))
{indent}model.add(Activation("relu"))
    model.add(Dense(3, activation="softmax"))
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    return model

candidates = [[32], [64], [32, 32]]
search = GridSearchCV(KerasClassifier(make_model, batch_size=16), param_grid={{"dense_layer_sizes": candidates, "epochs": [1, 2]}})
search.fit(x, y)
"""


@pytest.mark.parametrize("imports", sorted(IMPORTS))
def test_a_candidate_list_of_layer_sizes_reaches_the_build_function(imports):
    # the [32, 32] candidate stacks two Dense layers whose activation comes once, after the loop
    given = IMPORTS[imports].replace("Conv2D, Dense, Flatten", "Activation, Dense")
    text = HIDDEN.format(imports=given, indent="    ")
    loop_dense = next(i for i, line in enumerate(textwrap.dedent(text).lstrip("\n").splitlines(), 1)
                      if "Dense(size)" in line)
    assert codes(text) == [("TL311", loop_dense)]
    assert codes(HIDDEN.format(imports=given, indent="        ")) == []  # the activation inside the loop


DENSE = """
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
from keras.wrappers.scikit_learn import KerasClassifier, KerasRegressor
from sklearn.model_selection import cross_val_score, KFold

X = np.random.rand(300, 13)
Y = {labels}

def baseline_model(inputs=13):
    model = Sequential()
    model.add(Dense(13, input_dim=inputs, activation="relu"))
    model.add(Dense({units}, activation="{activation}"))
    model.compile(loss="{loss}", optimizer="adam")
    return model

estimator = {wrapper}(build_fn=baseline_model, inputs={inputs}, epochs=10, batch_size=5, verbose=0)
results = cross_val_score(estimator, X, Y, cv=KFold(n_splits=10))
"""


def test_regressor_data_reaches_the_model():
    text = DENSE.format(labels="np.random.rand(300)", units=1, activation="linear", loss="mse",
                        wrapper="KerasRegressor", inputs=8)
    assert [c for c, _ in codes(text)] == ["TL203"]  # 13 features into a model built for 8
    same = DENSE.format(labels="np.random.rand(300)", units=1, activation="linear", loss="mse",
                        wrapper="KerasRegressor", inputs=13)
    assert codes(same) == []


def test_classifier_labels_are_re_encoded():
    # KerasClassifier one-hot encodes class ids for a categorical cross-entropy: not TL302
    text = DENSE.format(labels="np.random.randint(0, 3, size=300)", units=3, activation="softmax",
                        loss="categorical_crossentropy", wrapper="KerasClassifier", inputs=13)
    assert codes(text) == []


def test_cli_on_the_grid_search(tmp_path):
    path = tmp_path / "grid.py"
    text = textwrap.dedent(CONV_BUILD.format(imports=IMPORTS["keras2"], fit=FITS["grid literal"].format(k=3))).lstrip("\n")
    path.write_text(text)
    out = subprocess.run([sys.executable, "-m", "tensorlint", "--select", "TL209", str(path)],
                         capture_output=True, text=True).stdout
    assert f"grid.py:{conv_line(text)}:" in out and "TL209" in out
