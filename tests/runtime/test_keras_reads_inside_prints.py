"""`print(model.predict(x))`, `print(model.evaluate(x, y))`: a statement the replay leaves out
because it prints or logs still holds the program's use of its trained model. The predict or
evaluate in it runs, on the program's own data, after the model's fit; an error there is the
program's, at that line. A Python list of numbers given to it, which Keras 3 refuses, confirms
the static TL221 at that line (the run reads the list as Keras 2 did, and goes on)."""
from __future__ import annotations

from tensorlint.findings import Finding, Severity, Span
from tensorlint.runtime.report import Report
from tensorlint.runtime.slicer import slice_source
from tensorlint.runtime.verdicts import judge

PROGRAM = """\
import logging
import numpy as np
import tensorflow as tf

x = np.array([[-40.0], [-10.0], [0.0], [8.0], [15.0], [22.0], [38.0]])
y = np.array([-40.0, 14.0, 32.0, 46.0, 59.0, 72.0, 100.0])
model = tf.keras.Sequential([tf.keras.layers.Dense(4, input_shape=[1]), tf.keras.layers.Dense(1)])
model.compile(loss="mean_squared_error", optimizer=tf.keras.optimizers.Adam(0.1))
model.fit(x, y, epochs=2, verbose=False)
{line}
"""

# the trained model read inside a print, a format and a log, on a list of numbers Keras 3 refuses
ON_LISTS = (
    "print(model.predict([100.0]))",
    'print("100 C is {{}} F".format(model.predict([100.0, 20.0])))',
    'logging.warning("loss %s", model.evaluate([[1.0], [2.0]], [33.8, 35.6], verbose=0))',
)
# the same reads on arrays
ON_ARRAYS = (
    "print(model.predict(np.array([100.0])))",
    'print("100 C is {{}} F".format(model.predict(np.array([[100.0], [20.0]]))))',
    'logging.warning("loss %s", model.evaluate(np.array([[1.0], [2.0]]), np.array([33.8, 35.6]), verbose=0))',
)


def tl221(report):
    return [v for v in report.findings if v.code == "TL221"]


def test_the_slice_runs_a_read_of_the_model_inside_a_print():
    for line in ON_LISTS:
        units = slice_source(PROGRAM.format(line=line)).units
        calls = [u for u in units if u.kind == "call"]
        assert [(c.line, c.call.method) for c in calls][1:] == [(10, "evaluate" if "evaluate" in line else "predict")], line
    # training inside a print is not a read: `print(model.fit(x, y))` stays out, as before
    units = slice_source(PROGRAM.format(line="print(model.fit(x, y))")).units
    assert [u.line for u in units if u.kind == "call"] == [9]
    # a method that is no read of a model stays out: `print(x.mean(1))`
    units = slice_source(PROGRAM.format(line="print(x.mean(1))")).units
    assert [u.line for u in units if u.kind == "call"] == [9]


def test_a_list_of_numbers_keras_3_refuses_confirms_tl221(tf_python, text_check):
    for line in ON_LISTS:
        report = text_check(PROGRAM.format(line=line))
        found = tl221(report)
        assert [(v.line, v.verdict) for v in found] == [(10, "confirmed")], (line, report.message, found)
        assert "refuses" in found[0].evidence
        read = [c for c in report.calls if c.get("line") == 10 and c.get("kind") == "forward"]
        assert read and read[0]["status"] == "ok" and read[0].get("python_lists"), line


def test_the_same_reads_on_arrays_stay_silent(tf_python, text_check):
    for line in ON_ARRAYS:
        report = text_check(PROGRAM.format(line=line))
        assert report.status == "ok", (line, report.message)
        assert not tl221(report), line
        read = [c for c in report.calls if c.get("line") == 10 and c.get("kind") == "forward"]
        assert read and read[0]["status"] == "ok" and not read[0].get("python_lists"), line


def test_a_read_inside_a_print_on_data_of_the_wrong_width_is_the_programs_error(tf_python, text_check):
    report = text_check(PROGRAM.format(line="print(model.predict(np.zeros((3, 2))))"))
    assert report.status == "errors", report.message
    assert [d.line for d in report.diagnostics() if d.severity == "error" and d.kind == "error"] == [10]


def finding(line: int) -> Finding:
    return Finding(code="TL221", name="keras-data-python-list", message="a list", severity=Severity.ERROR,
                   span=Span.of(line, 0, line, 10))


def test_tl221_is_refuted_where_the_call_ran_on_arrays_and_left_alone_on_made_up_input():
    ran = {"id": 1, "kind": "forward", "line": 10, "text": "model.predict(xs)", "method": "predict", "status": "ok"}
    report = Report(path="user.py", status="ok", message="", calls=[ran])
    assert [v.verdict for v in judge([finding(10), finding(12)], report)] == ["refuted", "not exercised"]
    report.calls = [dict(ran, synthesized_input="[2, 8] from a default")]
    assert judge([finding(10)], report)[0].verdict == "not exercised"
    report.calls = [dict(ran, python_lists=["targets"], method="fit")]
    assert judge([finding(10)], report)[0].verdict == "confirmed"
