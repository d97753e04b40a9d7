import math

from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Const, Container, Instance, Optimizer, Schedule, Tensor

_KERAS_BATCH = 32  # `fit`'s batch_size when it is not given


def _count(value, default=None):
    """A non-negative int the program fixes (`default` when the argument is not given)."""
    if value is None:
        return default
    v = value.value if isinstance(value, Const) else None
    return v if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else None


def _optimizer(model):
    opt = model.optimizer if isinstance(model, Container) else model.__dict__.get("optimizer") \
        if isinstance(model, Instance) else None
    return opt if isinstance(opt, Optimizer) else None


def fit_steps(ev) -> tuple[int, str] | None:
    """An upper bound on the optimizer steps one `fit` call runs, and how it was counted; None
    where the program does not fix it (data of unknown length, a generator without
    `steps_per_epoch`, epochs or a batch size computed at run time). A validation split only
    removes rows, so counting every row gives a bound."""
    kw = ev.kwargs
    if sum(1 for a in ev.node.args if a.keyword is None and not a.star) > 2 or any(a.star for a in ev.node.args):
        return None  # batch size and epochs given by position, or arguments spread from a collection
    epochs = _count(kw.get("epochs", kw.get("nb_epoch")), 1)
    first = _count(kw.get("initial_epoch"), 0)
    if epochs is None or first is None:
        return None
    runs = max(epochs - first, 0)
    per_epoch = _count(kw.get("steps_per_epoch"))
    if per_epoch is not None:
        return runs * per_epoch, f"{runs} epoch{'s' * (runs != 1)} of {per_epoch} steps"
    if "steps_per_epoch" in kw and not (isinstance(kw["steps_per_epoch"], Const) and kw["steps_per_epoch"].value is None):
        return None
    data = ev.data
    rows = data.dim(0) if isinstance(data, Tensor) else None
    given = kw.get("batch_size")
    batch = _KERAS_BATCH if given is None or (isinstance(given, Const) and given.value is None) else _count(given)
    if not isinstance(rows, int) or isinstance(rows, bool) or not batch:
        return None
    per_epoch = math.ceil(rows / batch)
    return runs * per_epoch, (f"{runs} epoch{'s' * (runs != 1)} of {per_epoch} batches "
                              f"({rows} rows, batch size {batch})")


class ScheduleOutlastsTraining(Rule):
    """
    ## What it does
    Finds a Keras learning-rate schedule that keeps its initial rate for more steps than
    training runs: a `PiecewiseConstantDecay` whose first boundary, or a staircase
    `ExponentialDecay` / `InverseTimeDecay` whose `decay_steps`, lies at or past the last
    step of every `fit` the optimizer is trained with. The steps are counted from what the
    program fixes: the epochs, `steps_per_epoch`, or the rows of the training arrays and the
    batch size (32 when not given); every `fit` of every model compiled with the optimizer
    counts, and an optimizer the program also steps itself (`apply_gradients`, `minimize`),
    a `fit` in a loop or one whose step count is not known leaves the schedule alone.

    ## Why is this bad?
    A schedule counts optimizer steps (batches), not epochs or samples. With a boundary past
    the end of training the rate never changes, and the model trains at the initial rate
    throughout: the decay the program configured does nothing, silently. The usual cause is a
    boundary written in epochs or samples, or copied from a run with a larger data set.

    ## Example
    ```python
    (x_train, y_train), _ = keras.datasets.mnist.load_data()  # 60,000 images
    schedule = keras.optimizers.schedules.PiecewiseConstantDecay([50_000, 80_000], [0.01, 0.005, 0.001])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=schedule), loss="sparse_categorical_crossentropy")
    model.fit(x_train, y_train, epochs=10)  # 10 x 1,875 = 18,750 steps
    ```

    ## Use instead
    ```python
    steps_per_epoch = math.ceil(len(x_train) / 32)
    schedule = keras.optimizers.schedules.PiecewiseConstantDecay(
        [4 * steps_per_epoch, 8 * steps_per_epoch], [0.01, 0.005, 0.001])
    ```

    ## Fix safety
    There is no automatic fix: where the rate should change is the program's choice.
    """

    code = "TL452"
    name = "schedule-outlasts-training"
    severity = Severity.WARNING
    summary = "A learning-rate schedule's first change lies past the last step training runs: the rate never changes."
    failing = (
        "from tensorflow import keras\n\n(x_train, y_train), _ = keras.datasets.mnist.load_data()\n"
        "schedule = keras.optimizers.schedules.PiecewiseConstantDecay(\n"
        "    boundaries=[50_000, 80_000],  # TL452\n    values=[0.01, 0.005, 0.001])\n"
        "model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10)])\n"
        "model.compile(optimizer=keras.optimizers.SGD(learning_rate=schedule),\n"
        "              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n"
        "model.fit(x_train, y_train, epochs=10)\n",
        # a staircase decay whose period is the whole run times five, the model built and trained in a helper
        "import numpy as np\nimport tensorflow as tf\n\nx = np.random.rand(6400, 20).astype('float32')\n"
        "y = np.random.randint(0, 2, size=(6400, 1))\n\n"
        "def train(optimizer):\n    model = tf.keras.Sequential([tf.keras.Input((20,)), tf.keras.layers.Dense(1, activation='sigmoid')])\n"
        "    model.compile(optimizer=optimizer, loss='binary_crossentropy')\n"
        "    return model.fit(x, y, batch_size=64, epochs=20)\n\n"
        "steps = 20 * 6400 // 64\nlr = tf.keras.optimizers.schedules.ExponentialDecay(\n"
        "    0.01, decay_steps=steps * 5, decay_rate=0.5, staircase=True)  # TL452\n"
        "train(tf.keras.optimizers.Adam(learning_rate=lr))\n",
    )
    passing = (
        "import math\nfrom tensorflow import keras\n\n(x_train, y_train), _ = keras.datasets.mnist.load_data()\n"
        "steps_per_epoch = math.ceil(len(x_train) / 32)\n"
        "schedule = keras.optimizers.schedules.PiecewiseConstantDecay(\n"
        "    boundaries=[4 * steps_per_epoch, 8 * steps_per_epoch], values=[0.01, 0.005, 0.001])\n"
        "model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10)])\n"
        "model.compile(optimizer=keras.optimizers.SGD(learning_rate=schedule),\n"
        "              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n"
        "model.fit(x_train, y_train, epochs=10)\n",
    )
    lookalikes = (
        # a smooth decay moves from the first step, however long its period
        "import numpy as np\nimport tensorflow as tf\n\nx = np.random.rand(6400, 20)\ny = np.random.rand(6400, 1)\n"
        "lr = tf.keras.optimizers.schedules.ExponentialDecay(0.01, decay_steps=100_000, decay_rate=0.5)\n"
        "model = tf.keras.Sequential([tf.keras.Input((20,)), tf.keras.layers.Dense(1)])\n"
        "model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=lr), loss='mse')\n"
        "model.fit(x, y, batch_size=64, epochs=20)\n",
        # two fits of the same optimizer: together they pass the boundary
        "import numpy as np\nfrom tensorflow import keras\n\nx = np.random.rand(3200, 8)\ny = np.random.rand(3200, 1)\n"
        "lr = keras.optimizers.schedules.PiecewiseConstantDecay([1500], [0.01, 0.001])\n"
        "model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])\n"
        "model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr), loss='mse')\n"
        "model.fit(x, y, epochs=10)\nmodel.fit(x, y, epochs=10)\n",
        # the data's length comes from a file: the number of steps is not known
        "import numpy as np\nfrom tensorflow import keras\n\ndata = np.load('train.npy')\n"
        "lr = keras.optimizers.schedules.PiecewiseConstantDecay([100_000], [0.01, 0.001])\n"
        "model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])\n"
        "model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr), loss='mse')\n"
        "model.fit(data[:, :8], data[:, 8], epochs=10)\n",
        # fit runs once per pass of a loop, and the optimizer is also stepped by hand
        "import numpy as np\nimport tensorflow as tf\n\nx = np.random.rand(640, 8)\ny = np.random.rand(640, 1)\n"
        "lr = tf.keras.optimizers.schedules.ExponentialDecay(0.01, 1000, 0.5, staircase=True)\n"
        "opt = tf.keras.optimizers.Adam(learning_rate=lr)\n"
        "model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(1)])\n"
        "model.compile(optimizer=opt, loss='mse')\nfor round_ in range(50):\n    model.fit(x, y, epochs=1)\n"
        "opt2 = tf.keras.optimizers.Adam(learning_rate=tf.keras.optimizers.schedules.ExponentialDecay(0.01, 1000, 0.5, staircase=True))\n"
        "model2 = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(1)])\n"
        "model2.compile(optimizer=opt2, loss='mse')\nmodel2.fit(x, y, epochs=1)\n"
        "with tf.GradientTape() as tape:\n    loss = tf.reduce_mean(tf.square(model2(x) - y))\n"
        "opt2.apply_gradients(zip(tape.gradient(loss, model2.trainable_variables), model2.trainable_variables))\n",
    )

    def on_fit(self, ctx, ev):
        if ev.method not in ("fit", "train_on_batch"):
            return
        opt = _optimizer(ev.model)
        if opt is None or not isinstance(opt.lr, Schedule) or opt.lr.steady is None:
            return
        counted = fit_steps(ev) if ev.method == "fit" and not ctx.open_loops and not ctx.uncalled else None
        # noted with the chunk that trains: an incremental run keeps the notes of chunks it does not run again
        ctx.mark("TL452 fits", (opt, counted, ev.node))

    def on_module(self, ctx, ev):
        runs: dict = {}  # id(optimizer) -> [optimizer, steps or None, fit nodes, how counted]
        for opt, counted, node in ctx.marked("TL452 fits"):
            run = runs.setdefault(id(opt), [opt, 0, [], []])
            if counted is None or run[1] is None:
                run[1] = None
                continue
            run[1] += counted[0]
            run[2].append(node)
            run[3].append(counted[1])
        for opt, steps, fits, how in runs.values():
            schedule = opt.lr
            if steps is None or opt.steps_elsewhere or not fits or steps > schedule.steady:
                continue
            where = schedule.arg if schedule.arg is not None else schedule.node
            what = schedule.kind.rsplit(".", 1)[-1]
            ctx.report(self, where,
                       f"{what} keeps its initial learning rate for the first {schedule.steady} optimizer steps, "
                       f"but training runs at most {steps} ({'; '.join(how)}): the rate never changes. A schedule "
                       f"counts batches, not epochs or samples; set its steps from the number of batches per epoch",
                       related=[(node, "trained here") for node in fits])
