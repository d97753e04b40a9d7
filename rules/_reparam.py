"""Reparameterized samples (`mu + scale * eps`) and the Gaussian KL terms that say what their
variables are (`1 + E - mu**2 - exp(E)`: E is a log-variance), read from the syntax, for TL323
and TL324."""
import re
from dataclasses import dataclass

import libcst as cst

from tensorlint.cstwalk import code_children
from tensorlint.dataflow import descendants
from tensorlint.syntax import dotted

from ._trees import per_chunk, text_matches

# the last part of the name of a call that draws standard normal noise
_NORMAL = frozenset({"random_normal", "normal", "randn", "randn_like", "standard_normal", "truncated_normal"})
_SQUARE = frozenset({"square", "pow", "power"})
# text every finding needs: the KL term adds or subtracts `exp(E)` or `E.exp()` of a plain name,
# so one of them stands beside a `+` or `-`
TEXT = (re.compile(r"exp\s*\(\s*\w+\s*\)\s*[-+]"), re.compile(r"[-+]\s*[\w.]*exp\s*\(\s*\w+\s*\)"),
        re.compile(r"\.exp\s*\(\s*\)\s*[-+]"), re.compile(r"[-+]\s*\w+\.exp\s*\(\s*\)"))
# what every pattern of TEXT holds, searched first: a literal start, which the search finds
# fast, where two of them begin with a class of characters, tried at every position of the text
EXP_CALL = re.compile(r"exp\s*\(")
# and, somewhere in the file, a draw of noise and the KL term's square of the mean. The names
# of the draws searched as two literals: `random_normal(` and `truncated_normal(` hold
# `normal(`, `randn_like(` holds `randn` (an alternation is tried at every position of the text)
NOISE_TEXT = (re.compile(r"normal\s*\("), re.compile(r"randn(?:_like)?\s*\("))
SQUARE_TEXT = (re.compile(r"square\s*\("), re.compile(r"\*\*\s*2"), re.compile(r"pow(?:er)?\s*\("))


def _exp_of_name(node) -> str | None:
    """`E` for `exp(E)` (`K.exp`, `tf.exp`, `tf.math.exp`, `torch.exp`, `np.exp`) or `E.exp()`
    with `E` a plain name."""
    if type(node) is not cst.Call:
        return None
    func = node.func
    if type(func) is cst.Attribute and func.attr.value == "exp" and not node.args and type(func.value) is cst.Name:
        return func.value.value
    if dotted(func).rsplit(".", 1)[-1] == "exp" and len(node.args) == 1 and node.args[0].keyword is None \
            and type(node.args[0].value) is cst.Name:
        return node.args[0].value.value
    return None


def _squared_name(node) -> str | None:
    """`M` for `square(M)`, `M ** 2`, `pow(M, 2)` and `M.pow(2)`, with `M` a plain name."""
    if type(node) is cst.BinaryOperation and type(node.operator) is cst.Power and type(node.left) is cst.Name \
            and type(node.right) is cst.Integer and node.right.value == "2":
        return node.left.value
    if type(node) is not cst.Call:
        return None
    func = node.func
    last = dotted(func).rsplit(".", 1)[-1]
    args = [a.value for a in node.args if a.keyword is None]
    if type(func) is cst.Attribute and last == "pow" and type(func.value) is cst.Name and len(args) == 1 \
            and type(args[0]) is cst.Integer and args[0].value == "2":
        return func.value.value
    if last in _SQUARE and args and type(args[0]) is cst.Name and (
            last == "square" and len(args) == 1 or len(args) == 2 and type(args[1]) is cst.Integer and args[1].value == "2"):
        return args[0].value
    return None


def _terms(node, sign: int, out: list) -> None:
    if type(node) is cst.BinaryOperation and type(node.operator) in (cst.Add, cst.Subtract) and not node.lpar:
        _terms(node.left, sign, out)
        _terms(node.right, sign if type(node.operator) is cst.Add else -sign, out)
    else:
        out.append((sign, node))


def _kl_log_variance(node) -> str | None:
    """`E` when `node` is the sum of a Gaussian KL divergence, `1 + E - M**2 - exp(E)` in any
    order (or its negation): the KL reads `E` as the log of the variance."""
    terms: list = []
    _terms(node, 1, terms)
    if len(terms) != 4:
        return None
    one = plain = exp = square = None
    for sign, t in terms:
        if type(t) in (cst.Integer, cst.Float) and t.value in ("1", "1.", "1.0"):
            one = sign
        elif type(t) is cst.Name:
            plain = (sign, t.value)
        elif _exp_of_name(t) is not None:
            exp = (sign, _exp_of_name(t))
        elif _squared_name(t) is not None:
            square = sign
    if one is None or plain is None or exp is None or square is None or plain[1] != exp[1]:
        return None
    if plain[0] == one and exp[0] == square == -one:
        return plain[1]
    return None


def gaussian_kl_log_variance(node) -> str | None:
    """`E` when `node` is the sum of a Gaussian KL divergence that reads `E` as a log-variance
    (`1 + E - M**2 - exp(E)` in any order, or its negation); None otherwise."""
    return _kl_log_variance(node)


@dataclass
class Sample:
    scope: object  # the enclosing function's node, None for the module's code
    name: str  # E
    scale: cst.Call  # exp(E), exp(0.5 * E), sqrt(exp(E))
    kind: str  # "variance" | "std"
    draw: cst.Call  # the normal draw the scale multiplies


def _bound_in(fdef) -> set:
    """The names a function binds: its parameters and its assignment targets."""
    params = fdef.params
    out = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
    for extra in (params.star_arg, params.star_kwarg):
        if isinstance(extra, cst.Param):
            out.add(extra.name.value)
    for n in descendants(fdef.body):
        if type(n) is cst.AssignTarget or type(n) in (cst.AugAssign, cst.AnnAssign, cst.For):
            t = n.target
            out.update(m.value for m in ([t] if type(t) is cst.Name else descendants(t) if type(t) in (cst.Tuple, cst.List) else [])
                       if type(m) is cst.Name)
    return out


class _Scan(cst.CSTVisitor):
    """Per chunk: the KL terms, the reparameterized samples, the Lambda layers applied to a
    list of names, and the functions that unpack one argument, each with its scope (the
    enclosing function's node, or None for the module's code)."""

    def __init__(self):
        self.scopes: list = [None]
        self.kls: list = []  # (scope, E, node)
        self.samples: list = []  # Sample
        self.lambdas: list = []  # (scope, function name, [names of the list's elements], node)
        self.unpacking: dict = {}  # function name -> (def node, the names its one argument unpacks to)
        self.bindings: list = [{}]  # per scope: name -> the values bound to it

    def visit_FunctionDef(self, node):
        self.scopes.append(node)
        self.bindings.append({})
        params = node.params
        every = [*params.posonly_params, *params.params]
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else []
        if len(every) == 1 and not params.kwonly_params and body and len(self.scopes) == 2:
            first = body[0]
            small = first.body[0] if type(first) is cst.SimpleStatementLine and first.body else None
            if (type(small) is cst.Assign and len(small.targets) == 1 and type(small.targets[0].target) in (cst.Tuple, cst.List)
                    and type(small.value) is cst.Name and small.value.value == every[0].name.value):
                names = [e.value.value if type(e.value) is cst.Name else None for e in small.targets[0].target.elements]
                self.unpacking[node.name.value] = (node, names)

    def leave_FunctionDef(self, node):
        self.scopes.pop()
        self.bindings.pop()

    def visit_Assign(self, node):
        for t in node.targets:
            if type(t.target) is cst.Name:
                self.bindings[-1].setdefault(t.target.value, []).append(node.value)

    def visit_BinaryOperation(self, node):
        scope = self.scopes[-1]
        if type(node.operator) in (cst.Add, cst.Subtract):
            name = _kl_log_variance(node)
            if name is not None:
                self.kls.append((scope, name, node))
                if scope is not None and len(self.scopes) == 2 and name not in _bound_in(scope):
                    self.kls.append((None, name, node))  # a module's variable that a function reads
        if type(node.operator) is cst.Multiply:
            self.products.append((scope, node, self.bindings[-1]))

    def visit_Call(self, node):
        inner = node.func
        if (type(inner) is cst.Call and dotted(inner.func).rsplit(".", 1)[-1] == "Lambda" and inner.args
                and inner.args[0].keyword is None and type(inner.args[0].value) is cst.Name
                and len(node.args) == 1 and type(node.args[0].value) in (cst.List, cst.Tuple)):
            elements = [e.value.value if type(e.value) is cst.Name else None for e in node.args[0].value.elements]
            self.lambdas.append((self.scopes[-1], inner.args[0].value.value, elements, node))

    products: list


def _half(node) -> str | None:
    """`E` for `0.5 * E`, `E * 0.5` and `E / 2`, with `E` a plain name."""
    if type(node) is not cst.BinaryOperation:
        return None
    left, right, op = node.left, node.right, type(node.operator)
    if op is cst.Multiply:
        for c, e in ((left, right), (right, left)):
            if type(c) is cst.Float and c.value in ("0.5", ".5") and type(e) is cst.Name:
                return e.value
    if op is cst.Divide and type(left) is cst.Name and type(right) in (cst.Integer, cst.Float) and right.value in ("2", "2.", "2.0"):
        return left.value
    return None


def _scale(node, bound: dict):
    """(the scale expression, E, "variance" or "std") for `exp(E)` (the variance when E is a
    log-variance) or `exp(0.5 * E)`, `exp(E / 2)`, `sqrt(exp(E))` (its standard deviation), the
    expression itself or the one value bound to the name `node`."""
    if type(node) is cst.Name:
        values = bound.get(node.value, ())
        return _scale(values[0], {}) if len(values) == 1 else None
    if type(node) is not cst.Call:
        return None
    name = _exp_of_name(node)
    if name is not None:
        return node, name, "variance"
    last = dotted(node.func).rsplit(".", 1)[-1]
    args = [a.value for a in node.args if a.keyword is None]
    if last == "exp" and len(args) == 1 and _half(args[0]) is not None:
        return node, _half(args[0]), "std"
    if last == "sqrt" and len(args) == 1 and _exp_of_name(args[0]) is not None:
        return node, _exp_of_name(args[0]), "std"
    return None


def _draw(node, bound: dict):
    """The normal draw call that `node` is, or that the one value bound to the name holds."""
    if type(node) is cst.Name:
        values = bound.get(node.value, ())
        return _draw(values[0], {}) if len(values) == 1 else None
    return node if type(node) is cst.Call and dotted(node.func).rsplit(".", 1)[-1] in _NORMAL else None


def _scan(module) -> _Scan:
    scan = _Scan()
    scan.products = []
    # the visitor's methods, called in source order over the code nodes (libcst's own visit
    # rebuilds every node it passes: several times slower on a large file)
    visit = {cst.Assign: scan.visit_Assign, cst.BinaryOperation: scan.visit_BinaryOperation, cst.Call: scan.visit_Call}
    stack = code_children(module)[::-1]
    while stack:
        n = stack.pop()
        if type(n) is tuple:  # leaving a function's body
            scan.leave_FunctionDef(n[1])
            continue
        kind = type(n)
        if kind is cst.FunctionDef:
            scan.visit_FunctionDef(n)
            stack.append(("leave", n))
        else:
            handler = visit.get(kind)
            if handler is not None:
                handler(n)
        stack.extend(code_children(n)[::-1])
    for scope, node, bound in scan.products:
        for scale, noise in ((node.left, node.right), (node.right, node.left)):
            found, draw = _scale(scale, bound), _draw(noise, bound)
            if found is not None and draw is not None:
                scan.samples.append(Sample(scope, found[1], found[0], found[2], draw))
                break
    scan.products = []
    return scan




def linked_samples(ctx) -> list:
    """(sample, the KL term of its E) for each reparameterized sample of the file whose E a
    Gaussian KL term reads as a log-variance: in the same scope, or through a Keras
    `Lambda(function)([...])` whose function unpacks its list into the names the sample uses."""
    # (TEXT last: two of its patterns begin with a class of characters, tried at every position)
    if not (text_matches(ctx, EXP_CALL) and text_matches(ctx, SQUARE_TEXT) and text_matches(ctx, NOISE_TEXT)
            and text_matches(ctx, TEXT)):
        return []
    scans = per_chunk(ctx, ("reparameterization scan",), _scan)
    kls = {}
    for scan in scans:
        for scope, name, node in scan.kls:
            kls.setdefault((id(scope) if scope is not None else None, name), node)
    if not kls:
        return []
    unpacking, lambdas = {}, []
    for scan in scans:
        unpacking.update(scan.unpacking)
        lambdas.extend(scan.lambdas)
    out = []
    for scan in scans:
        for sample in scan.samples:
            scope = sample.scope
            kl = kls.get((id(scope) if scope is not None else None, sample.name))
            if kl is None and scope is not None and scope.name.value in unpacking:
                kl = _through_lambda(kls, unpacking[scope.name.value], scope, sample.name, lambdas)
            if kl is not None:
                out.append((sample, kl))
    return out


def _through_lambda(kls, unpacked, scope, name, lambdas):
    """The KL term of the name that a `Lambda(function)([...])` gives the function at the
    place where it unpacks `name`."""
    fdef, names = unpacked
    if fdef is not scope or name not in names:
        return None
    k = names.index(name)
    for lscope, fname, elements, _ in lambdas:
        if fname == fdef.name.value and k < len(elements) and elements[k] is not None:
            kl = kls.get((id(lscope) if lscope is not None else None, elements[k]))
            if kl is not None:
                return kl
    return None
