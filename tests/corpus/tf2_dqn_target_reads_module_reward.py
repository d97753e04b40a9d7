"""A Keras DQN agent whose target helper reads the module's reward, not the sampled transition's.

Silent: `target(next_state)` adds `reward` without taking it as a parameter, so Python reads
the module-level `reward` of the latest environment step; `replay` unpacks each sampled
transition into its own `reward`, which the helper never sees. Every target of a batch is
built from one reward (the last one stored), and nothing fails.
"""
# runtime: runs
import random

import numpy as np
import keras

GAMMA = 0.9


class Agent:
    def __init__(self):
        self.q = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
        self.q.compile(optimizer="sgd", loss="mse")
        self.memory = []
        self.targets = []

    def target(self, next_state):
        return reward + GAMMA * float(np.amax(self.q.predict(next_state, verbose=0)[0]))  # expect: TL006

    def replay(self, n):
        for state, action, reward, next_state in random.sample(self.memory, n):
            q = self.q.predict(state, verbose=0)
            q[0][action] = self.target(next_state)
            self.targets.append((reward, q[0][action]))
            self.q.fit(state, q, verbose=0)


random.seed(0)
agent = Agent()
for step in range(6):
    state, action, reward, next_state = np.zeros((1, 4)), step % 2, float(step), np.zeros((1, 4))
    agent.memory.append((state, action, reward, next_state))
agent.replay(3)
