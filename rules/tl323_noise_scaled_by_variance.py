import re

import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._trees import per_chunk, text_matches

# the last part of the name of a call that draws standard normal noise
_NORMAL = frozenset({"random_normal", "normal", "randn", "randn_like", "standard_normal", "truncated_normal"})
_SQUARE = frozenset({"square", "pow", "power"})
# text every finding needs: an exponential beside a `1 +` or `- 1` of a Gaussian KL term
_TEXT = (re.compile(r"exp\s*\("), re.compile(r"\.exp\s*\(\s*\)"))


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


class _Scan(cst.CSTVisitor):
    """Per chunk: the KL terms, the reparameterized samples, the Lambda layers applied to a
    list of names, and the functions that unpack one argument, each with its scope (the
    enclosing function's node, or None for the module's code)."""

    def __init__(self):
        self.scopes: list = [None]
        self.kls: list = []  # (scope, E, node)
        self.samples: list = []  # (scope, E, the exp call, the enclosing function)
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


def _normal_draw(node, bound: dict) -> bool:
    if type(node) is cst.Name:
        values = bound.get(node.value, ())
        return len(values) == 1 and _normal_draw(values[0], {})
    return type(node) is cst.Call and dotted(node.func).rsplit(".", 1)[-1] in _NORMAL


def _scale_exp(node, bound: dict):
    """The `exp(E)` call that `node` is (or that the one name bound to `node` holds)."""
    if type(node) is cst.Name:
        values = bound.get(node.value, ())
        return values[0] if len(values) == 1 and _exp_of_name(values[0]) is not None else None
    return node if _exp_of_name(node) is not None else None


def _scan(module) -> _Scan:
    scan = _Scan()
    scan.products = []
    module.visit(scan)
    for scope, node, bound in scan.products:
        for scale, noise in ((node.left, node.right), (node.right, node.left)):
            exp = _scale_exp(scale, bound)
            if exp is not None and _normal_draw(noise, bound):
                scan.samples.append((scope, _exp_of_name(exp), exp))
                break
    scan.products = []
    return scan


class NoiseScaledByVariance(Rule):
    """
    ## What it does
    Finds a reparameterized sample whose noise is multiplied by `exp(E)` where the program's
    own KL term reads `E` as the log of the variance: the KL is written `1 + E - mu**2 -
    exp(E)` (Keras `K.exp`/`K.square`, `tf.exp`/`tf.square`, `torch.exp`/`.pow(2)`, in any
    order), and the sample `mu + exp(E) * eps` with `eps` a standard normal draw
    (`K.random_normal`, `tf.random.normal`, `torch.randn_like`, directly or through a name).
    The two uses are the same variable: one scope, or a Keras `Lambda(sampling)([z_mean,
    z_log_var])` whose function unpacks its list into the names the sample uses.

    ## Why is this bad?
    With `E = log(sigma**2)`, `exp(E)` is the variance; the standard deviation that scales the
    noise is `exp(0.5 * E)`. The sampled codes spread by sigma squared: far too little noise
    where sigma < 1 (the encoder is pushed toward the prior by a KL that the sampling does not
    match), far too much where sigma > 1, and the model the loss describes is not the one
    trained. Nothing fails, so only the results show it.

    ## Example
    ```python
    def sampling(args):
        z_mean, z_log_var = args
        epsilon = K.random_normal(shape=K.shape(z_mean))
        return z_mean + K.exp(z_log_var) * epsilon

    z = Lambda(sampling)([z_mean, z_log_var])
    kl_loss = -0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)
    ```

    ## Use instead
    ```python
        return z_mean + K.exp(0.5 * z_log_var) * epsilon
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "TL323"
    name = "noise-scaled-by-variance"
    severity = Severity.WARNING
    summary = "A reparameterized sample scales its noise by exp(E) where the KL term reads E as a log-variance."
    failing = (
        "import tensorflow as tf\n\n\ndef vae_loss(model, x):\n    mean, logvar = tf.split(model.encoder(x), 2, axis=1)\n"
        "    eps = tf.random.normal(shape=tf.shape(mean))\n    z = mean + tf.exp(logvar) * eps  # TL323\n"
        "    x_hat = model.decoder(z)\n    rec = tf.reduce_sum(tf.square(x - x_hat), axis=1)\n"
        "    kl = -0.5 * tf.reduce_sum(1 + logvar - tf.square(mean) - tf.exp(logvar), axis=1)\n"
        "    return tf.reduce_mean(rec + kl)\n",
        "from keras import backend as K\nfrom keras.layers import Dense, Input, Lambda\n\nx = Input(shape=(784,))\n"
        "h = Dense(256, activation='relu')(x)\nz_mean = Dense(2)(h)\nz_log_var = Dense(2)(h)\n\n\n"
        "def sampling(args):\n    z_mean, z_log_var = args\n    epsilon = K.random_normal(shape=(K.shape(z_mean)[0], 2))\n"
        "    return z_mean + K.exp(z_log_var) * epsilon  # TL323\n\n\n"
        "z = Lambda(sampling, output_shape=(2,))([z_mean, z_log_var])\n"
        "kl_loss = -0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)\n",
    )
    passing = (
        "from keras import backend as K\nfrom keras.layers import Dense, Input, Lambda\n\nx = Input(shape=(784,))\n"
        "h = Dense(256, activation='relu')(x)\nz_mean = Dense(2)(h)\nz_log_var = Dense(2)(h)\n\n\n"
        "def sampling(args):\n    z_mean, z_log_var = args\n    epsilon = K.random_normal(shape=(K.shape(z_mean)[0], 2))\n"
        "    return z_mean + K.exp(0.5 * z_log_var) * epsilon\n\n\n"
        "z = Lambda(sampling, output_shape=(2,))([z_mean, z_log_var])\n"
        "kl_loss = -0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)\n",
    )
    lookalikes = (
        # the KL of a log standard deviation (2 * E inside), and exp(E) as the scale: right
        "import torch\n\n\ndef step(mu, log_sigma):\n    eps = torch.randn_like(mu)\n    z = mu + torch.exp(log_sigma) * eps\n"
        "    kl = -0.5 * torch.sum(1 + 2 * log_sigma - mu.pow(2) - torch.exp(2 * log_sigma))\n    return z, kl\n",
        # a KL of another variable; noise that is not a normal draw
        "import tensorflow as tf\n\n\ndef parts(mean, logvar, other, u):\n    z = mean + tf.exp(other) * tf.random.normal(tf.shape(mean))\n"
        "    w = mean + tf.exp(logvar) * u\n"
        "    kl = -0.5 * tf.reduce_sum(1 + logvar - tf.square(mean) - tf.exp(logvar))\n    return z, w, kl\n",
    )

    def on_module(self, ctx, ev):
        if not text_matches(ctx, _TEXT):
            return
        scans = per_chunk(ctx, ("TL323 scan",), _scan)
        kls = {}
        for scan in scans:
            for scope, name, node in scan.kls:
                kls.setdefault((id(scope) if scope is not None else None, name), node)
        if not kls:
            return
        unpacking, lambdas = {}, []
        for scan in scans:
            unpacking.update(scan.unpacking)
            lambdas.extend(scan.lambdas)
        for scan in scans:
            for scope, name, exp in scan.samples:
                kl = kls.get((id(scope) if scope is not None else None, name))
                if kl is None and scope is not None and scope.name.value in unpacking:
                    kl = self._through_lambda(kls, unpacking[scope.name.value], scope, name, lambdas)
                if kl is not None:
                    ctx.report(self, exp,
                               f"the noise is scaled by `{ctx.source(exp).strip()}`, the variance: the KL term at line "
                               f"{ctx.line(kl)} reads `{name}` as the log of the variance, so the standard deviation is "
                               f"exp(0.5 * {name}); the sampled codes spread by sigma squared, not sigma",
                               related=[(kl, "the KL term that reads it as a log-variance")])

    @staticmethod
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
