"""TL464: PPO's clipped surrogate objective handed to the optimizer without a negation. Written
several ways: torch with the two products held in names and the mean taken as a method, torch
with the whole loss a sum of terms and `.mean().backward()`, TF2 through a GradientTape, TF1
through `minimize`, a Keras `Lambda` layer whose model is compiled with a loss returning the
prediction, literal clip bounds; and the CLI on a file. The look-alikes negate the objective
(a unary minus, subtracted from another term, a product with -1, in the Keras loss), negate
the advantage and take the maximum, never minimize it, or scale it by a tensor or hand it to
a function whose sign is not known."""
from __future__ import annotations

import subprocess
import sys
import textwrap

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL464",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "ppo.py", ONLY).findings)


def test_torch_named_products_mean_method():
    assert _lines("""
        import torch

        def update(policy, opt, states, actions, old_logp, adv, eps=0.2):
            ratio = torch.exp(policy(states).log_prob(actions) - old_logp)
            s1 = ratio * adv
            s2 = torch.clamp(ratio, 1 - eps, 1 + eps) * adv
            loss = torch.min(s1, s2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
    """) == [7]


def test_torch_terms_summed_then_mean_backward():
    assert _lines("""
        import torch as T

        class Agent:
            def learn(self, ratios, advantages, values, returns, entropy):
                surr = T.min(ratios * advantages, T.clamp(ratios, 1 - self.clip, 1 + self.clip) * advantages)
                loss = surr + 0.5 * (values - returns) ** 2 - 0.01 * entropy
                self.optimizer.zero_grad()
                loss.mean().backward()
                self.optimizer.step()
    """) == [5]


def test_tf1_minimize_and_tf2_tape():
    assert _lines("""
        import tensorflow as tf

        ratio = tf.exp(logp - old_logp)
        pg = tf.reduce_mean(tf.minimum(adv * ratio, adv * tf.clip_by_value(ratio, 1. - eps, 1. + eps)))
        train_op = tf.compat.v1.train.AdamOptimizer(1e-3).minimize(pg)

        def step(model, opt, s, a, old, adv, eps=0.1):
            with tf.GradientTape() as tape:
                r = tf.reduce_sum(model(s) * a, axis=1) / old
                loss = tf.reduce_mean(tf.minimum(r * adv, tf.clip_by_value(r, 0.9, 1.1) * adv)) * 2.0
            grads = tape.gradient(loss, model.trainable_variables)
            opt.apply_gradients(zip(grads, model.trainable_variables))
    """) == [4, 10]


def test_keras_lambda_layer_with_identity_loss():
    src = """
        from tensorflow.keras import backend as K
        from tensorflow.keras.layers import Dense, Input, Lambda
        from tensorflow.keras.models import Model

        def build(eps):
            state, adv, old = Input((4,)), Input((1,)), Input((1,))
            prob = Dense(1, activation="sigmoid")(state)

            def objective(args):
                p, o, a = args
                ratio = p / o
                return K.minimum(ratio * a, K.clip(ratio, 1 - eps, 1 + eps) * a)

            out = Lambda(objective, name="loss")([prob, old, adv])
            model = Model(inputs=[state, old, adv], outputs=out)
            model.compile(optimizer="adam", loss=[LOSS])
            return model
    """
    assert _lines(src.replace("LOSS", "lambda y_true, y_pred: y_pred")) == [12]
    assert _lines(src.replace("LOSS", "lambda y_true, y_pred: -y_pred")) == []
    assert _lines(src.replace("LOSS", "lambda y_true, y_pred: K.mean(y_true * y_pred)")) == []


def test_negated_look_alikes_stay_silent():
    assert _lines("""
        import torch
        import tensorflow as tf

        def a(ratio, adv, eps):
            loss = -torch.min(ratio * adv, torch.clamp(ratio, 1 - eps, 1 + eps) * adv).mean()
            loss.backward()

        def b(ratio, adv, eps, value_loss):
            surr = torch.min(ratio * adv, torch.clamp(ratio, 1 - eps, 1 + eps) * adv)
            (value_loss - surr.mean()).backward()

        def c(ratio, adv, eps):
            obj = torch.min(ratio * adv, torch.clamp(ratio, 1 - eps, 1 + eps) * adv)
            (-1 * obj).mean().backward()

        def d(ratio, adv, eps):
            l1 = -adv * ratio
            l2 = -adv * torch.clamp(ratio, 1 - eps, 1 + eps)
            torch.max(l1, l2).mean().backward()

        def e(ratio, adv, eps, tape, model):
            obj = tf.minimum(ratio * adv, tf.clip_by_value(ratio, 1 - eps, 1 + eps) * adv)
            loss = -tf.reduce_mean(obj)
            return tape.gradient(loss, model.trainable_variables)
    """) == []


def test_unknown_sign_and_other_shapes_stay_silent():
    assert _lines("""
        import torch
        import numpy as np

        def scaled(ratio, adv, eps, weight, log):
            obj = torch.min(ratio * adv, torch.clamp(ratio, 1 - eps, 1 + eps) * adv)
            log(obj.mean().item())
            (weight * obj).mean().backward()

        def returned(ratio, adv, eps):
            return torch.min(ratio * adv, torch.clamp(ratio, 1 - eps, 1 + eps) * adv).mean()

        def not_a_surrogate(x, y, lo, hi):
            z = torch.min(x * y, torch.clamp(x, lo, hi) * y).mean()
            z.backward()
            return np.minimum(x * y, np.clip(x, 0.0, 2.0) * y)
    """) == []


def test_bad_input_does_not_crash():
    assert _lines("""
        import torch
        torch.min(*args)
        torch.min(a * b, torch.clamp(a, *bounds) * b).backward()
        torch.min(a * b, torch.clamp(a, 1 - e, 1 + e) * b, dim=0).mean().backward()
        x = torch.min(a * b, torch.clamp(a, 1 - e, 1 + e) * b)
        x = 0
        x.backward()
    """) == []


def test_cli_on_a_file(tmp_path):
    path = tmp_path / "ppo.py"
    path.write_text(textwrap.dedent("""
        import torch

        def update(opt, ratio, adv, eps=0.2):
            loss = torch.min(ratio * adv, torch.clamp(ratio, 1 - eps, 1 + eps) * adv).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
    """).lstrip("\n"))
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--no-cache", "--select", "TL464", str(path)],
                         capture_output=True, text=True)
    assert out.returncode == 1
    assert f"{path}:4:" in out.stdout and "TL464" in out.stdout and "backward()" in out.stdout


def test_tf1_class_attribute_minimized_in_another_method():
    src = """
        import tensorflow as tf

        class PPO:
            def __init__(self, eps):
                self.ratio = tf.exp(self.logp - self.old_logp)
                self.aloss = SIGNtf.reduce_mean(tf.minimum(
                    self.ratio * self.adv,
                    tf.clip_by_value(self.ratio, 1. - eps, 1. + eps) * self.adv))
                self.build_train()

            def build_train(self):
                tf.summary.scalar("actor loss", self.aloss)
                self.atrain_op = tf.compat.v1.train.AdamOptimizer(1e-4).minimize(self.aloss)
    """
    assert _lines(src.replace("SIGN", "")) == [6]
    assert _lines(src.replace("SIGN", "-")) == []


def test_keras_loss_function_and_closure():
    src = """
        from tensorflow.keras import backend as K

        def ppo_loss(advantage, old_prediction, eps=0.2):
            def loss(y_true, y_pred):
                prob = K.sum(y_true * y_pred, axis=-1)
                old = K.sum(y_true * old_prediction, axis=-1)
                r = prob / (old + 1e-10)
                return SIGNK.mean(K.minimum(r * advantage, K.clip(r, 1 - eps, 1 + eps) * advantage))
            return loss

        def build(actor, advantage, old_prediction):
            actor.compile(optimizer="adam", loss=[ppo_loss(advantage, old_prediction), "mse"])
    """
    assert _lines(src.replace("SIGN", "")) == [8]
    assert _lines(src.replace("SIGN", "-")) == []
    assert _lines(src.replace("SIGN", "").replace('loss=[ppo_loss(advantage, old_prediction), "mse"]',
                                                  'loss="mse", metrics=[ppo_loss(advantage, old_prediction)]')) == []


def test_gradients_negated_before_they_are_applied_stay_silent():
    assert _lines("""
        import tensorflow as tf

        def ascent(model, opt, r, adv, eps=0.2):
            with tf.GradientTape() as tape:
                objective = tf.reduce_mean(tf.minimum(r * adv, tf.clip_by_value(r, 1 - eps, 1 + eps) * adv))
            grads = tape.gradient(objective, model.trainable_variables)
            opt.apply_gradients(zip([-g for g in grads], model.trainable_variables))
    """) == []


def test_an_ascending_torch_optimizer_stays_silent():
    assert _lines("""
        import torch

        def update(policy, ratio, adv, eps=0.2):
            opt = torch.optim.Adam(policy.parameters(), lr=1e-3, maximize=True)
            objective = torch.min(ratio * adv, torch.clamp(ratio, 1 - eps, 1 + eps) * adv).mean()
            opt.zero_grad()
            objective.backward()
            opt.step()
    """) == []
