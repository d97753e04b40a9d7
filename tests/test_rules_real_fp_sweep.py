"""False positives found by judging every finding on repositories added to the real-script corpus
(bench/precision_real.md: RL agents, a Kaggle solution, research notebooks), each kept as
correct code written several ways that must stay silent (`ok-` cases), next to a look-alike
with the real bug that must still be found (`# expect: CODE`). Only the codes in CODES are
compared; every other line must stay silent for them."""
from __future__ import annotations

import textwrap

import pytest

from test_rules_gradients import _analyze
from test_variants import _expected

CODES = {"TL202", "TL210", "TL301", "TL411", "TL415"}

_AGENT = """
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    import torch.optim as optim

"""

_MC = _AGENT + """
    net = nn.Sequential(nn.Linear(784, 30), nn.ReLU(), nn.Dropout(0.5), nn.Linear(30, 10))
    opt = optim.SGD(net.parameters(), lr=0.1)
    images = [torch.randn(16, 784) for _ in range(4)]
"""

CASES = {
    # -- TL202: a list attribute that another method fills is not the empty list __init__ made --
    "ok-202-transitions-appended-by-a-method-batched-by-another": _AGENT + """
    class ActorCritic(nn.Module):
        def __init__(self):
            super().__init__()
            self.data = []
            self.fc1 = nn.Linear(4, 256)
            self.fc_v = nn.Linear(256, 1)

        def v(self, x):
            return self.fc_v(F.relu(self.fc1(x)))

        def put_data(self, transition):
            self.data.append(transition)

        def make_batch(self):
            s_lst, r_lst = [], []
            for s, r in self.data:
                s_lst.append(s)
                r_lst.append([r])
            self.data = []
            return torch.tensor(s_lst, dtype=torch.float), torch.tensor(r_lst)

        def train_net(self):
            s, r = self.make_batch()
            return F.smooth_l1_loss(self.v(s), r)
    """,
    "ok-202-memory-grown-by-plus-equals-and-rebound-after-replay": _AGENT + """
    class Agent(nn.Module):
        def __init__(self):
            super().__init__()
            self.memory = []
            self.net = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 2))

        def remember(self, state, action):
            self.memory += [(state, action)]

        def replay(self):
            rows = []
            for state, action in self.memory:
                rows.append(state)
            self.memory = []
            return torch.tensor(rows, dtype=torch.float32)

        def learn(self):
            return self.net(self.replay())
    """,
    "ok-202-rollout-inserted-and-emptied-with-list": _AGENT + """
    class Policy(nn.Module):
        def __init__(self):
            super().__init__()
            self.rollout = []
            self.head = nn.Linear(3, 1)

        def push(self, obs):
            self.rollout.insert(0, obs)

        def batch(self):
            obs = []
            for o in self.rollout:
                obs.append(o)
            self.rollout = list()
            return torch.FloatTensor(obs)

        def score(self):
            return self.head(self.batch())
    """,
    # look-alikes: what __init__ put there is all the class ever holds, or the call shows it
    "202-rows-of-three-set-once-in-init": _AGENT + """
    class Fixed:
        def __init__(self):
            self.rows, self.fc1 = [[0.0, 1.0, 2.0], [1.0, 2.0, 3.0]], nn.Linear(4, 2)

        def run(self):
            return self.fc1(torch.tensor(self.rows))  # expect: TL202
    """,
    "202-appended-rows-of-three-then-batched": _AGENT + """
    class Collector:
        def __init__(self):
            self.seen, self.fc1 = [], nn.Linear(4, 2)

        def put(self, item):
            self.seen.append(item)

        def run(self):
            return self.fc1(torch.tensor(self.seen))  # expect: TL202

    agent = Collector()
    agent.put([0.0, 1.0, 2.0])
    agent.run()
    """,
    # -- TL210: `*shape` of unknown length says nothing of the rank --------------------------
    "ok-210-feature-size-probe-with-observation-shape": _AGENT + """
    class CnnDQN(nn.Module):
        def __init__(self, input_shape, num_actions):
            super().__init__()
            self.input_shape = input_shape
            self.features = nn.Sequential(nn.Conv2d(input_shape[0], 32, 8, stride=4), nn.ReLU())
            self.fc = nn.Linear(self.feature_size(), num_actions)

        def feature_size(self):
            return self.features(torch.zeros(1, *self.input_shape)).view(1, -1).size(1)
    """,
    "ok-210-random-batch-of-given-shape": _AGENT + """
    net = nn.Conv2d(4, 16, 3)

    def probe(obs_shape, batch=8):
        return net(torch.randn(batch, *obs_shape))
    """,
    "ok-210-empty-buffer-of-env-shape": _AGENT + """
    def buffer_for(env, n):
        frames = torch.empty(n, *env.observation_space.shape)
        return nn.MaxPool2d(2)(frames)
    """,
    # look-alikes: the starred sequence's length is known
    "210-zeros-of-one-spatial-dim": _AGENT + """
    conv = nn.Conv2d(1, 8, 3)
    probe = conv(torch.zeros(1, *[84]))  # expect: TL210
    """,
    "210-zeros-of-starred-tuple": _AGENT + """
    size = (2, 84)
    conv = nn.Conv2d(1, 8, 3)
    out = conv(torch.ones(*size))  # expect: TL210
    """,
    # -- TL411: a loss's models are those of its prediction, through every operand ----------
    "ok-411-q-values-gathered-at-the-actions": _AGENT + """
    class Qnet(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(4, 2)

        def forward(self, x):
            return self.fc1(x)

    def train(q, q_target, memory, optimizer):
        for i in range(10):
            s, a, r, s_prime = memory.sample(32)
            q_a = q(s).gather(1, a)
            target = r + 0.98 * q_target(s_prime).max(1)[0].unsqueeze(1)
            loss = F.smooth_l1_loss(q_a, target)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

    def main(memory):
        q, q_target = Qnet(), Qnet()
        optimizer = optim.Adam(q.parameters(), lr=0.0005)
        for episode in range(100):
            train(q, q_target, memory, optimizer)
    """,
    "ok-411-prediction-through-an-unmodeled-method-keyword-target": _AGENT + """
    online, target_net = nn.Linear(4, 2), nn.Linear(4, 2)
    opt = optim.SGD(online.parameters(), lr=0.1)
    for step in range(100):
        s = torch.randn(32, 4)
        a = torch.randint(0, 2, (32, 1))
        chosen = online(s).take_along_dim(a, dim=1)
        loss = nn.MSELoss()(input=chosen, target=target_net(s).max(1, keepdim=True)[0])
        opt.zero_grad()
        loss.backward()
        opt.step()
    """,
    "ok-411-actor-loss-through-critic-concatenating-the-action": _AGENT + """
    class MuNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3, 1)

        def forward(self, x):
            return torch.tanh(self.fc(x)) * 2

    class QNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc_s = nn.Linear(3, 64)
            self.fc_a = nn.Linear(1, 64)
            self.fc_out = nn.Linear(128, 1)

        def forward(self, x, a):
            h1 = F.relu(self.fc_s(x))
            h2 = F.relu(self.fc_a(a))
            return self.fc_out(torch.cat([h1, h2], dim=1))

    q, mu = QNet(), MuNet()
    mu_optimizer = optim.Adam(mu.parameters(), lr=0.0005)
    for step in range(100):
        s = torch.randn(32, 3)
        mu_loss = -q(s, mu(s)).mean()
        mu_optimizer.zero_grad()
        mu_loss.backward()
        mu_optimizer.step()
    """,
    "ok-411-policy-and-state-joined-as-a-tuple": _AGENT + """
    actor = nn.Sequential(nn.Linear(3, 1), nn.Tanh())
    critic = nn.Linear(4, 1)
    opt = optim.Adam(actor.parameters())
    for step in range(50):
        s = torch.randn(16, 3)
        loss = -critic(torch.cat((s, actor(s)), 1)).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    """,
    # look-alikes: the critic never reads the action, or the optimizer holds the other model
    "411-critic-ignores-the-action": _AGENT + """
    class QNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc_s = nn.Linear(3, 64)
            self.fc_a = nn.Linear(1, 64)
            self.fc_out = nn.Linear(64, 1)

        def forward(self, x, a):
            return self.fc_out(F.relu(self.fc_s(x)))

    q, mu = QNet(), nn.Linear(3, 1)
    mu_optimizer = optim.Adam(mu.parameters(), lr=0.0005)
    for step in range(100):
        s = torch.randn(32, 3)
        mu_loss = -q(s, mu(s)).mean()
        mu_optimizer.zero_grad()
        mu_loss.backward()
        mu_optimizer.step()  # expect: TL411
    """,
    "411-optimizer-of-the-target-network": _AGENT + """
    online, target_net = nn.Linear(4, 2), nn.Linear(4, 2)
    opt = optim.SGD(target_net.parameters(), lr=0.1)
    for step in range(100):
        s = torch.randn(32, 4)
        loss = F.mse_loss(online(s), torch.randn(32, 2))
        opt.zero_grad()
        loss.backward()
        opt.step()  # expect: TL411
    """,
    # -- TL415: `.train()` right before the evaluation asks for training mode (MC dropout) ---
    "ok-415-train-called-right-before-a-sampling-loop": _MC + """
    n_samples = 100
    net.train()  # keep dropout on

    preds = []
    for image in images:
        p = torch.zeros(16, 10)
        for i in range(n_samples):
            p += F.softmax(net(image), dim=1)
        preds.append(p / n_samples)
    """,
    "ok-415-train-inside-the-sampling-loop": _MC + """
    samples = []
    with torch.no_grad():
        for t in range(50):
            net.train()
            samples.append(net(images[0]))
    """,
    "ok-415-train-then-no-grad-block": _MC + """
    net.train()
    with torch.no_grad():
        draws = []
        for _ in range(20):
            draws.append(net(images[0]))
    """,
    # look-alikes: training comes between the train() call and the evaluation, or none is asked
    "415-train-at-the-top-of-the-epoch-then-validate": _MC + """
    for epoch in range(3):
        net.train()
        for x in images:
            loss = net(x).logsumexp(1).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():  # expect: TL415
            val = net(images[0])
    """,
    "415-train-right-before-a-loop-over-other-inputs": _MC + """
    net.train()
    with torch.no_grad():  # expect: TL415
        for x in images:
            print(net(x).argmax(1))
    """,
    "415-evaluated-as-built": _MC + """
    with torch.no_grad():  # expect: TL415
        out = net(images[0])
    """,
    # -- TL301: a Keras loss that only reduces the model's output: the output is the loss -----
    "ok-301-yolo-training-model-outputs-its-loss": """
    import tensorflow as tf

    def dummy_loss(y_true, y_pred):
        return tf.sqrt(tf.reduce_sum(y_pred))
    """,
    "ok-301-triplet-identity-loss-backend-mean": """
    from keras import backend as K

    def identity_loss(y_true, y_pred):
        return K.mean(y_pred)
    """,
    "ok-301-ctc-lambda-reduced-in-compile": """
    import tensorflow as tf
    from tensorflow import keras

    inp = keras.Input((4,))
    model = keras.Model(inp, keras.layers.Dense(1)(inp))
    model.compile(optimizer="adam", loss=lambda y_true, y_pred: tf.math.reduce_mean(y_pred))
    """,
    # look-alikes: the output is transformed before it is reduced, or the loss is torch's own call
    "301-square-of-the-output-reduced": """
    import tensorflow as tf

    def custom_loss(y_true, y_pred):  # expect: TL301
        return tf.reduce_mean(tf.square(y_pred))
    """,
    "301-torch-mean-of-the-output": """
    import torch

    def my_loss(output, labels):  # expect: TL301
        return torch.mean(output)
    """,
    # -- TL301: one output's term among the per-output losses of a multi-output Keras model ----
    "ok-301-vae-kl-term-in-a-loss-list": """
    import tensorflow as tf
    import tensorflow.keras.backend as K

    def mse_loss(y_true, y_pred):
        return K.sum(tf.losses.mse(y_true, y_pred), axis=[1, 2])

    def KL_loss(y_true, y_pred):
        mean, log_var = y_pred[..., :2], y_pred[..., 2:]
        return -0.5 * K.sum(1 + log_var - K.square(mean) - K.exp(log_var), axis=-1)

    vae.compile(optimizer="adam", loss=[mse_loss, KL_loss])
    """,
    "ok-301-activity-term-in-a-loss-dict-and-positional-tuple": """
    import tensorflow as tf

    def sparsity_loss(y_true, y_pred):
        return tf.reduce_mean(tf.abs(y_pred))

    def code_loss(target, code):
        return tf.reduce_sum(tf.square(code))

    model.compile(optimizer="adam", loss={"image": "mse", "code": sparsity_loss})
    other.compile("rmsprop", ("binary_crossentropy", code_loss))
    """,
    "301-the-only-loss-of-the-model": """
    import tensorflow as tf

    def sparsity_loss(y_true, y_pred):  # expect: TL301
        return tf.reduce_mean(tf.abs(y_pred))

    def code_loss(y_true, y_pred):  # expect: TL301
        return tf.reduce_mean(tf.square(y_pred))

    model.compile(optimizer="adam", loss=sparsity_loss)
    other.compile(optimizer="adam", loss=[code_loss])
    """,
    # -- TL301: a loss whose supervision is the order of the batch (groups of a fixed size) ----
    "ok-301-triplets-picked-by-index-arithmetic": _AGENT + """
    class TripletOrderLoss(nn.Module):
        def forward(self, emb, labels):
            n = emb.size(0) // 3
            total = 0
            for i in range(n):
                anchor, pos, neg = emb[3 * i], emb[3 * i + 1], emb[3 * i + 2]
                total = total + F.relu(F.pairwise_distance(anchor, pos) - F.pairwise_distance(anchor, neg) + 1)
            return total / n
    """,
    "ok-301-pairs-by-reshaping-the-batch": _AGENT + """
    class RankLoss(nn.Module):
        def forward(self, scores, target):
            b = scores.shape[0]
            scores = scores.reshape(b // 2, 2)
            target = target.view(b)
            return F.softplus(scores[:, 0] - scores[:, 1]).mean()
    """,
    "ok-301-interleaved-pairs-of-a-normalized-output": _AGENT + """
    class PairCosineLoss(nn.Module):
        def forward(self, output, target):
            z = F.normalize(output, dim=1)
            a, b = z[0::2], z[1::2]
            return (1 - (a * b).sum(1)).mean()
    """,
    "ok-301-function-reshaping-with-torch-reshape": _AGENT + """
    def ranking_loss(pred, labels):
        grouped = torch.reshape(pred, (len(pred) // 2, 2))
        return -F.logsigmoid(grouped[:, 1] - grouped[:, 0]).mean()
    """,
    "ok-301-keras-loss-on-two-halves-of-the-batch": """
    import tensorflow.keras.backend as K

    class Estimator:
        def mi_loss(self, y_true, y_pred):
            size = self.batch_size
            joint = y_pred[0:size, :]
            marginal = y_pred[size:y_pred.shape[0], :]
            return -(K.mean(joint) - K.log(K.mean(K.exp(marginal))))

    def pair_loss(y_true, y_pred):
        half = K.shape(y_pred)[0] // 2
        return K.mean(K.square(y_pred[:half] - y_pred[half:]))
    """,
    "301-one-part-of-the-batch": """
    import tensorflow.keras.backend as K

    def head_loss(y_true, y_pred):  # expect: TL301
        return K.mean(K.square(y_pred[0:16]))

    def columns_loss(y_true, y_pred):  # expect: TL301
        return K.mean(y_pred[:, :2]) - K.mean(y_pred[:, 2:])
    """,
    "301-columns-of-an-ungrouped-output": _AGENT + """
    class MarginLoss(nn.Module):
        def forward(self, pred, target):  # expect: TL301
            return F.softplus(pred[:, 0] - pred[:, 1]).mean()
    """,
    "301-reshape-that-does-not-group-the-batch": _AGENT + """
    class FlatLoss(nn.Module):
        def forward(self, pred, target):  # expect: TL301
            flat = pred.view(-1, 2)
            return (flat[0] - flat[1]).pow(2).mean()

    def grouped_badly_loss(pred, labels):  # expect: TL301
        return pred.reshape(pred.size(0) // 2, 3).mean()
    """,
    "301-two-fixed-rows-of-the-output": _AGENT + """
    def first_rows_loss(pred, labels):  # expect: TL301
        return (pred[0] + pred[1]).mean()

    def target_grouped_loss(pred, labels):  # expect: TL301
        pairs = labels.view(len(labels) // 2, 2)
        return (pred[0] + pred[1]).mean()
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_real_false_positives(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in _analyze(text, name) if f.code in CODES}
    assert found == _expected(text)
