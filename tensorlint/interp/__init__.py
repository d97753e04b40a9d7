"""The abstract interpreter: one walk over a file that follows values and emits events.

It runs module-level code in order (flow-sensitive: a reassignment changes the value), joins
branches, runs the body of loops so that loop-carried values are joined before events are
emitted, steps into the file's own functions and methods with the values of each call, and
finally runs every function nobody called with unknown arguments, so that code inside
`main()` or `train()` is seen too. Framework knowledge comes from `tensorlint.frameworks`,
which sees the interpreter only through `tensorlint.api`.

The parts, one module each:
    core         the Interpreter (its state) and the driver: chunks in order, then every function
    statements   assignments, imports, branches, try, with, def, class
    loops        loop bodies (values joined over iterations) and loop traces (training steps)
    expressions  names, attributes, subscripts, operators, literals, iteration
    calls        framework calls through the tables, the program's functions, classes, instances
    reporting    events to the rules, findings, positions, fixes, hover values
    frame, helpers  frames and the small shared facts
"""
from ..api import BoundBuiltin, CallInfo, SliceV  # noqa: F401  (the names transfer functions get)
from .core import Interpreter, run  # noqa: F401
from .frame import BUILTINS, FRAMEWORK_BASES, MAX_DEPTH, MAX_UNROLL, Frame  # noqa: F401
from .loops import LoopTrace  # noqa: F401
from .reporting import collected_values  # noqa: F401
