from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._reparam import linked_samples


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
        for sample, kl in linked_samples(ctx):
            if sample.kind != "variance":
                continue
            exp, name = sample.scale, sample.name
            ctx.report(self, exp,
                       f"the noise is scaled by `{ctx.source(exp).strip()}`, the variance: the KL term at line "
                       f"{ctx.line(kl)} reads `{name}` as the log of the variance, so the standard deviation is "
                       f"exp(0.5 * {name}); the sampled codes spread by sigma squared, not sigma",
                       related=[(kl, "the KL term that reads it as a log-variance")])
