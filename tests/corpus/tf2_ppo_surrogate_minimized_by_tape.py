"""A PPO actor trained with a GradientTape whose loss adds the clipped surrogate objective unnegated.

Silent: the loss is the mean clipped surrogate plus a small entropy bonus, and its gradient is
applied as it is: the optimizer minimizes the objective PPO maximizes, so each step lowers the
probability of the actions with a positive advantage.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

N_ACTIONS = 3
CLIP = 0.2

actor = tf.keras.Sequential([
    tf.keras.Input(shape=(4,)),
    tf.keras.layers.Dense(32, activation="tanh"),
    tf.keras.layers.Dense(N_ACTIONS, activation="softmax"),
])
optimizer = tf.keras.optimizers.Adam(learning_rate=3e-3)


def train_step(states, actions, old_probs, advantages):
    with tf.GradientTape() as tape:
        probs = actor(states, training=True)
        taken = tf.reduce_sum(probs * tf.one_hot(actions, N_ACTIONS), axis=1)
        ratio = taken / old_probs
        objective = tf.reduce_mean(
            tf.minimum(ratio * advantages, tf.clip_by_value(ratio, 1.0 - CLIP, 1.0 + CLIP) * advantages))  # expect: TL464
        entropy = -tf.reduce_mean(tf.reduce_sum(probs * tf.math.log(probs + 1e-8), axis=1))
        loss = objective - 0.01 * entropy
    grads = tape.gradient(loss, actor.trainable_variables)
    optimizer.apply_gradients(zip(grads, actor.trainable_variables))
    return float(loss)


def rollout(n, rng):
    states = rng.normal(size=(n, 4)).astype("float32")
    probs = actor(states).numpy()
    actions = np.array([rng.choice(N_ACTIONS, p=p / p.sum()) for p in probs])
    rewards = (actions == 1).astype("float32")
    advantages = rewards - rewards.mean()
    return states, actions, probs[np.arange(n), actions], advantages


rng = np.random.default_rng(0)
for it in range(5):
    s, a, p, adv = rollout(128, rng)
    for _ in range(4):
        loss = train_step(s, a, p, adv)
    print(f"iteration {it}: loss {loss:.4f}")
