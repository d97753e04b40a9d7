import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._arity import binding_counts
from ._reparam import linked_samples
from ._trees import per_chunk

_STD_KEYWORDS = ("stddev", "std", "scale")


def _number(node) -> float | None:
    if type(node) in (cst.Integer, cst.Float):
        try:
            return float(node.value)
        except ValueError:
            return None
    return None


def _module_constants(module) -> dict:
    """name -> (its number, the assignment) for the chunk's module-level `name = <number>`."""
    out = {}
    for stmt in module.body:
        if type(stmt) is not cst.SimpleStatementLine:
            continue
        for small in stmt.body:
            if (type(small) is cst.Assign and len(small.targets) == 1 and type(small.targets[0].target) is cst.Name
                    and _number(small.value) is not None):
                out[small.targets[0].target.value] = (_number(small.value), small)
    return out


class NoiseNotStandardNormal(Rule):
    """
    ## What it does
    Finds a reparameterized sample `mu + sigma * eps` whose noise `eps` is drawn with a
    standard deviation other than 1 (`K.random_normal(..., stddev=0.01)`, `std=epsilon_std`
    with `epsilon_std = 0.01` once at the top of the file, `tf.random.normal(..., stddev=c)`),
    where the program's own KL term is the one of a Gaussian posterior against a unit Gaussian
    prior, `1 + E - mu**2 - exp(E)`, for the E that `sigma` is made from (`exp(0.5 * E)`,
    `exp(E / 2)`, `sqrt(exp(E))`, or `exp(E)`). The two are linked as TL323 links them: one
    scope, or a Keras `Lambda(sampling)([z_mean, z_log_var])` whose function unpacks its list.

    ## Why is this bad?
    The KL term prices the posterior N(mu, exp(E)); the codes the decoder sees are drawn from
    N(mu, c**2 * exp(E)). With c = 0.01 they barely vary: the decoder learns from the means
    alone, the KL pushes the variance to 1 at no cost to the reconstruction, and sampling the
    prior afterwards gives codes the decoder never saw. Nothing fails.

    ## Example
    ```python
    epsilon_std = 0.01

    def sampling(args):
        z_mean, z_log_var = args
        epsilon = K.random_normal(shape=(batch_size, latent_dim), mean=0., stddev=epsilon_std)
        return z_mean + K.exp(z_log_var / 2) * epsilon
    ```

    ## Use instead
    ```python
    epsilon_std = 1.0
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "TL324"
    name = "noise-not-standard-normal"
    severity = Severity.WARNING
    summary = "A reparameterized sample draws its noise with a standard deviation other than 1 against a unit-Gaussian KL term."
    failing = (
        "from keras import backend as K\nfrom keras.layers import Dense, Input, Lambda\n\nbatch_size, latent_dim = 100, 2\n"
        "epsilon_std = 0.01\nx = Input(batch_shape=(batch_size, 784))\nh = Dense(256, activation='relu')(x)\n"
        "z_mean = Dense(latent_dim)(h)\nz_log_var = Dense(latent_dim)(h)\n\n\ndef sampling(args):\n"
        "    z_mean, z_log_var = args\n"
        "    epsilon = K.random_normal(shape=(batch_size, latent_dim), mean=0., stddev=epsilon_std)  # TL324\n"
        "    return z_mean + K.exp(z_log_var / 2) * epsilon\n\n\n"
        "z = Lambda(sampling, output_shape=(latent_dim,))([z_mean, z_log_var])\n\n\ndef vae_loss(x, x_decoded_mean):\n"
        "    kl_loss = -0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)\n    return kl_loss\n",
    )
    passing = (
        "from keras import backend as K\nfrom keras.layers import Dense, Input, Lambda\n\nbatch_size, latent_dim = 100, 2\n"
        "epsilon_std = 1.0\nx = Input(batch_shape=(batch_size, 784))\nh = Dense(256, activation='relu')(x)\n"
        "z_mean = Dense(latent_dim)(h)\nz_log_var = Dense(latent_dim)(h)\n\n\ndef sampling(args):\n"
        "    z_mean, z_log_var = args\n"
        "    epsilon = K.random_normal(shape=(batch_size, latent_dim), mean=0., stddev=epsilon_std)\n"
        "    return z_mean + K.exp(z_log_var / 2) * epsilon\n\n\n"
        "z = Lambda(sampling, output_shape=(latent_dim,))([z_mean, z_log_var])\n\n\ndef vae_loss(x, x_decoded_mean):\n"
        "    kl_loss = -0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)\n    return kl_loss\n",
    )
    lookalikes = (
        # a noise scale without a KL term of its variable; a scale given as a parameter
        "import tensorflow as tf\n\n\ndef perturb(mean, logvar, noise_std):\n"
        "    a = mean + tf.exp(0.5 * logvar) * tf.random.normal(tf.shape(mean), stddev=0.1)\n"
        "    b = mean + tf.exp(0.5 * logvar) * tf.random.normal(tf.shape(mean), stddev=noise_std)\n    return a, b\n",
    )

    def on_module(self, ctx, ev):
        linked = linked_samples(ctx)
        if not linked:
            return
        constants = None
        for sample, kl in linked:
            arg = next((a for a in sample.draw.args if a.keyword is not None and a.keyword.value in _STD_KEYWORDS), None)
            if arg is None:
                continue
            std = _number(arg.value)
            if std is None and type(arg.value) is cst.Name:
                if constants is None:
                    constants = {}
                    for found in per_chunk(ctx, ("TL324 module constants",), _module_constants):
                        constants.update(found)
                known = constants.get(arg.value.value)
                if known is not None and sum(c.get(arg.value.value, 0) for c in per_chunk(ctx, ("TL324 binding counts",), binding_counts)) == 1:
                    std = known[0]
            if std is None or std == 1.0:
                continue
            ctx.report(self, arg,
                       f"the noise of this sample is drawn with standard deviation {std:g}, but the KL term at line "
                       f"{ctx.line(kl)} prices a posterior whose standard deviation is `{ctx.source(sample.scale).strip()}` "
                       f"against a unit Gaussian prior: the sampled codes spread {std:g} times that; draw the noise with "
                       f"standard deviation 1",
                       related=[(kl, "the KL term of the posterior")])
