"""The names by which the slicer tells what a call does: trains, prints, builds a model, is a loss,
changes state the model depends on."""
from __future__ import annotations

import re

# Methods of Keras models that the driver turns into one forward (and loss) pass.
MODEL_METHODS = frozenset(
    {"fit", "fit_generator", "train_on_batch", "test_on_batch", "evaluate", "predict", "predict_on_batch"}
)
# Of those, the ones that read the model without training it: `print(model.predict(x))` runs them.
READ_METHODS = frozenset({"evaluate", "predict", "predict_on_batch", "test_on_batch"})
# Calls that train, print, write or sleep: a statement or loop that makes one is not setup code.
SIDE_EFFECT_CALLS = frozenset(
    {
        "backward", "step", "zero_grad", "apply_gradients", "minimize", "gradient",
        "save", "save_weights", "save_pretrained", "state_dict_to_file", "to_csv", "dump",
        "print", "pprint", "write", "writelines", "open", "show", "savefig", "imshow", "plot",
        "summary", "plot_model", "log", "info", "debug", "warning", "add_scalar", "log_metrics",
        "sleep", "input", "system", "run", "call", "check_call", "Popen", "remove", "unlink",
        "rmtree", "mkdir", "makedirs", "exit", "quit", "_exit", "kill", "download",
    }
) | MODEL_METHODS
# calls that only write text out (printing changes nothing a model needs)
OUTPUT_CALLS = frozenset({"print", "pprint"})
# functions that are losses when called on a model's output (the driver checks that)
LOSS_NAME = re.compile(r"loss|entropy|error|_div$|hinge", re.I)
# dotted callees that build a model or a layer
MODEL_FACTORY = re.compile(r"(^|\.)(nn|layers|models|applications)\.[A-Za-z_]\w*$")
# modules whose functions change state the model or its inputs depend on (default dtype, random
# generators): a call of one of them on its own line may matter to what follows. A call of any
# other module's function (os.system, shutil.rmtree, os.fork, time.sleep...) builds nothing.
STATE_MODULES = frozenset({"torch", "tensorflow", "keras", "tf_keras", "numpy", "random", "jax"})
# interpreter state that imports and frameworks read: kept wherever it is set at module level
INTERPRETER_STATE = ("sys.path", "os.environ")
