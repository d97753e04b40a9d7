"""A Keras DQN whose target model starts with weights of its own.

Silent: the target model is built by the same function as the online model but never given its
weights when the agent is made; it receives them only after each `fit`, so the first replay's
targets come from an unrelated random network.
"""
# runtime: runs
import random

import numpy as np
import keras


class Agent:
    def __init__(self, n_states, n_actions):
        self.n_actions = n_actions
        self.memory = []
        self.model = self.build(n_states, n_actions)
        self.target_model = self.build(n_states, n_actions)  # expect: TL463

    def build(self, n_states, n_actions):
        model = keras.Sequential([keras.Input((n_states,)), keras.layers.Dense(24, activation="relu"),
                                  keras.layers.Dense(n_actions)])
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
        return model

    def act(self, state):
        if random.random() < 0.1:
            return random.randrange(self.n_actions)
        return int(np.argmax(self.model.predict(state[None], verbose=0)[0]))

    def replay(self, batch_size):
        batch = random.sample(self.memory, batch_size)
        states = np.array([b[0] for b in batch], dtype="float32")
        actions = np.array([b[1] for b in batch])
        rewards = np.array([b[2] for b in batch], dtype="float32")
        next_states = np.array([b[3] for b in batch], dtype="float32")
        dones = np.array([b[4] for b in batch], dtype="float32")
        targets = self.model.predict(states, verbose=0)
        q_next = self.target_model.predict(next_states, verbose=0).max(axis=1)
        targets[np.arange(batch_size), actions] = rewards + 0.95 * q_next * (1.0 - dones)
        self.model.fit(states, targets, epochs=1, verbose=0)
        self.target_model.set_weights(self.model.get_weights())


def main():
    random.seed(0)
    np.random.seed(0)
    agent = Agent(4, 2)
    for episode in range(3):
        state = np.random.rand(4).astype("float32")
        for t in range(16):
            action = agent.act(state)
            next_state = np.random.rand(4).astype("float32")
            agent.memory.append((state, action, float(action), next_state, float(t == 15)))
            state = next_state
        agent.replay(8)


main()
