"""JUnit XML: one test suite per file, one failing test case per finding."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from . import Report


def render(report: Report) -> str:
    root = ET.Element("testsuites", name="tensorlint")
    total = failures = errors = 0
    for result in report.results:
        suite = ET.SubElement(root, "testsuite", name=result.display)
        cases = fails = errs = 0
        if result.error:
            case = ET.SubElement(suite, "testcase", name="tensorlint", classname=result.display)
            ET.SubElement(case, "error", message=result.error).text = result.error
            cases, errs = 1, 1
        for item in sorted(result.items, key=lambda i: (i.cell or 0, i.finding.sort_key())):
            f = item.finding
            row, col = f.span.start.line, f.span.start.column + 1
            where = f"cell {item.cell}, line {row}, col {col}" if item.cell is not None else f"line {row}, col {col}"
            case = ET.SubElement(suite, "testcase", name=f"{f.code} {f.name}".strip(), classname=result.display,
                                 line=str(row), column=str(col))
            ET.SubElement(case, "failure", message=f.message, type=f.code).text = f"{where}, {f.message}"
            cases += 1
            fails += 1
        if cases == 0:
            ET.SubElement(suite, "testcase", name="no findings", classname=result.display)
            cases = 1
        suite.set("tests", str(cases))
        suite.set("failures", str(fails))
        suite.set("errors", str(errs))
        total, failures, errors = total + cases, failures + fails, errors + errs
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", str(errors))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
