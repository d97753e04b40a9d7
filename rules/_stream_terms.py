"""TL414's terms added to a stream: `h = x + term` where `term` is a weight of the model (a
bias, a positional embedding) that nothing reads, while later layers are fed `x`."""
import libcst as cst

from tensorlint.syntax import dotted as dotted_name

from ._graph_ops import reaching_value


def term_adds(assigns) -> list:
    """(sum, label) for each `name = x + term` (`term + x`) that adds a term which is not a
    literal to a stream held in a plain name: when the term is a weight (`weight`, judged
    where the sum is found unused) bound to a new name that nothing reads, it is never applied
    while later layers are fed `x`."""
    out = []
    for a in assigns:
        v = a.value
        if len(a.targets) != 1 or type(v) is not cst.BinaryOperation or type(v.operator) is not cst.Add:
            continue
        if not any(type(side) is cst.Name for side in (v.left, v.right)):
            continue
        if any(isinstance(side, (cst.BaseNumber, cst.BaseString, cst.UnaryOperation, cst.List, cst.Tuple))
               for side in (v.left, v.right)):
            continue  # a constant shift or a concatenation of sequences, not a term of the network
        out.append((v, "+"))
    return out


# calls that make a trainable weight (a bias, an embedding table) held in a name
_WEIGHT_MAKERS = frozenset({"Variable", "get_variable", "Parameter", "add_weight", "model_variable"})


def weight(ctx, term) -> bool:
    """Whether the term added to a stream is a weight of the model: an attribute of an object
    (`self.bias`, `layer.pos_embedding`, not a module's constant such as `np.pi`), an entry of
    a collection (`variables['gate_bias']`, `biases['b1']`), or a name last bound to a call that
    makes a variable (`tf.Variable`, `tf.get_variable`, `nn.Parameter`, `add_weight`). The sum
    of two values computed from data (`d = b + c`) is not a term of the network."""
    from ._common import imported_qualname, module_names

    if type(term) is cst.Subscript:
        return True
    if type(term) is cst.Attribute:
        return imported_qualname(module_names(ctx), term) is None
    if type(term) is cst.Name:
        value = reaching_value(ctx, term, term.value)
        return type(value) is cst.Call and dotted_name(value.func).rpartition(".")[2] in _WEIGHT_MAKERS
    return False


def streams(node) -> list:
    """The operands of a sum held in plain names: the stream the term was meant to be added to."""
    return [side.value for side in (node.left, node.right) if type(side) is cst.Name]
