"""A table the program reads from a file that is not here (`np.loadtxt`, `np.genfromtxt`,
`pd.read_csv`) is made up when the program establishes its column count (the columns it reads by
literal position or name, a reshape of a column slice to literal sizes, a `names=` list). The
program then runs twice, with other rows and values the second time, and an error is the
program's only when both runs raise it at the same line. Where nothing fixes the column count,
the read stays a missing file and the report says what is unknown."""
from __future__ import annotations

TORCH = """\
import numpy as np
import torch
import torch.nn as nn
{read}
X = torch.tensor(data[:, 0:8]).float()
y = torch.tensor(data[:, 8]).float()
model = nn.Linear({features}, 1)
out = model(X)
loss = nn.functional.mse_loss(out.squeeze(1), y)
"""

READS = (
    "data = np.loadtxt('pima-indians-diabetes.csv', delimiter=',')",
    "data = np.genfromtxt('diabetes.csv', delimiter=',', skip_header=1)",
    "from numpy import loadtxt\ndata = loadtxt('data/pima.csv', delimiter=',')",
)


def errors(report) -> set[int]:
    return {d.line for d in report.diagnostics() if d.severity == "error"}


def test_columns_read_by_position_fix_the_table_and_a_misfit_layer_is_the_programs_error(torch_python, text_check):
    for read in READS:
        text = TORCH.format(read=read, features=6)
        report = text_check(text)
        assert report.status == "errors", (read, report.message)
        line = text.splitlines().index("out = model(X)") + 1
        assert line in errors(report), (read, report.diagnostics())
        assert any("(not here; 9 columns" in n for n in report.notes), report.notes


def made_up_values(report) -> bool:
    """Ran without error on a made-up table: not "ok", since what its values decide was not checked."""
    return report.status == "could-not-check" and not errors(report) and \
        "its values are the check's" in report.message and "(not here) was made up" in report.message


def test_columns_read_by_position_that_fit_the_model_run_without_error(torch_python, text_check):
    report = text_check(TORCH.format(read=READS[0], features=8))
    assert made_up_values(report), report.message


def test_a_slice_whose_width_nothing_fixes_stays_a_missing_file(torch_python, text_check):
    # `data[:, :-1]` is as wide as the file is, minus one: the check does not choose that width
    for x, y in (("data[:, :-1]", "data[:, -1]"), ("data[:, 1:]", "data[:, 0]")):
        text = TORCH.format(read=READS[0], features=8).replace("data[:, 0:8]", x).replace("data[:, 8]", y)
        report = text_check(text)
        assert report.status == "could-not-check", (x, report.message)
        assert "pima-indians-diabetes.csv" in report.message and "width depends on how many there are" in report.message, \
            report.message
        assert not errors(report)


def test_a_table_read_whole_stays_a_missing_file(torch_python, text_check):
    for use in ("X = torch.tensor(data).float()", "n = data.shape[1]\nX = torch.tensor(data[:, 0:8]).float()"):
        text = TORCH.format(read=READS[0], features=8).replace("X = torch.tensor(data[:, 0:8]).float()", use)
        report = text_check(text)
        assert report.status == "could-not-check", (use, report.message)
        assert "reads the table whole" in report.message, report.message


def test_a_reshape_to_literal_sizes_fixes_the_width_of_a_slice(torch_python, text_check):
    text = """\
import numpy as np
import torch
import torch.nn as nn
digits = np.loadtxt('train.csv', delimiter=',', skiprows=1)
labels = digits[:, 0]
images = digits[:, 1:] / 255.0
images = images.reshape(-1, 1, 28, 28)
conv = nn.Conv2d({channels}, 8, 3)
out = conv(torch.tensor(images).float())
"""
    report = text_check(text.format(channels=3))
    assert report.status == "errors", report.message
    assert 9 in errors(report), report.diagnostics()
    assert any("(not here; 785 columns" in n for n in report.notes), report.notes
    report = text_check(text.format(channels=1))
    assert made_up_values(report), report.message


def test_an_error_that_depends_on_the_rows_the_check_chose_is_not_the_programs(torch_python, text_check):
    # 64 made-up rows of 8 floats do not split into 3 groups, 96 do: the check chose the rows
    text = TORCH.format(read=READS[0], features=8).replace("out = model(X)", "groups = X.view(3, -1, 8)\nout = model(groups)")
    report = text_check(text)
    assert report.status != "errors", report.message
    assert not errors(report), report.diagnostics()
    (failed,) = [e for e in report.setup_errors if e.get("line") == 8]
    assert failed["blame"] == "check" and "depends on the table the check made up" in failed["why"], failed


KERAS = """\
import numpy as np
from tensorflow import keras
data = np.loadtxt('hmnist_28_28_RGB.csv', delimiter=',', skiprows=1)
X = np.array(data[:, 0:-1]) / 255.0
X = X.reshape(-1, 28, 28, 3)
y = data[:, -1]
model = keras.Sequential([keras.Input(shape=({shape})), keras.layers.Conv2D(4, 3), keras.layers.Flatten(),
                          keras.layers.Dense(1, activation='sigmoid')])
model.compile(loss='binary_crossentropy', optimizer='adam')
model.fit(X, y, batch_size=16, epochs=1)
"""


def test_keras_a_reshape_fixes_the_columns_and_the_declared_input_is_checked_against_them(tf_python, text_check):
    report = text_check(KERAS.format(shape="28, 28, 1"))
    assert report.status == "errors", report.message
    assert 10 in errors(report), report.diagnostics()
    report = text_check(KERAS.format(shape="28, 28, 3"))
    assert made_up_values(report), report.message


def test_pandas_columns_read_by_name_or_named_by_the_program(torch_python, installed, text_check):
    installed("pandas")
    for read, x in (("df = pd.read_csv('weather.csv')", "df[['MinTemp', 'MaxTemp', 'Rainfall']].values"),
                    ("df = pd.read_csv('w.csv', names=['a', 'b', 'c', 'd'])", "df.values[:, 0:3]")):
        text = f"""\
import pandas as pd
import torch
import torch.nn as nn
{read}
x = torch.tensor({x}).float()
out = nn.Linear(4, 1)(x)
"""
        report = text_check(text)
        assert report.status == "errors", (read, report.message)
        assert 6 in errors(report), report.diagnostics()
        report = text_check(text.replace("nn.Linear(4, 1)", "nn.Linear(3, 1)"))
        assert made_up_values(report), (read, report.message)


def test_a_program_that_fails_only_with_other_made_up_values_is_not_ok(torch_python, text_check):
    # class ids from a column of the file: the made-up values decide whether they fit 3 classes,
    # so not an error: the report says it fails with the other choice
    text = TORCH.format(read=READS[0], features=8).replace(
        "loss = nn.functional.mse_loss(out.squeeze(1), y)",
        "logits = nn.Linear(1, 3)(out)\nloss = nn.functional.cross_entropy(logits, y.long())")
    report = text_check(text)
    assert report.status == "could-not-check", report.message
    assert not errors(report), report.diagnostics()
    assert "with other made-up rows and values for `pima-indians-diabetes.csv`" in report.message, report.message


def test_an_error_that_only_the_rows_of_the_file_would_settle_is_not_the_programs(torch_python, text_check):
    # 16 targets against the table's rows: every made-up count but 16 fails alike, and the file's
    # own count is unknown, so the check runs again with the 16 rows the message names
    text = TORCH.format(read=READS[0], features=8).replace("y = torch.tensor(data[:, 8]).float()", "y = torch.rand(16)")
    report = text_check(text)
    assert report.status == "could-not-check", report.message
    assert not errors(report), report.diagnostics()
    assert "depends on the table the check made up" in report.message, report.message
