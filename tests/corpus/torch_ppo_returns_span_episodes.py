"""A small PyTorch policy-gradient agent whose returns run across the episodes of its buffer.

Silent: the buffer is filled step by step over several episodes of a toy environment and the
update runs every 64 steps, wherever an episode stands; the running return is never reset, so
the last steps of each episode are credited with the rewards of the episode after it.
"""
# runtime: runs
import torch
import torch.nn as nn


class ToyEnv:
    def __init__(self):
        self.t = 0

    def reset(self):
        self.t = 0
        return torch.zeros(4)

    def step(self, action):
        self.t += 1
        done = self.t >= 10
        return torch.randn(4), 1.0, done, {}


class Memory:
    def __init__(self):
        self.states = []
        self.actions = []
        self.rewards = []

    def clear(self):
        del self.states[:]
        del self.actions[:]
        del self.rewards[:]


class Agent:
    def __init__(self, gamma=0.99):
        self.gamma = gamma
        self.policy = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 2))
        self.optimizer = torch.optim.Adam(self.policy.parameters(), lr=1e-3)

    def act(self, state, memory):
        dist = torch.distributions.Categorical(logits=self.policy(state))
        action = dist.sample()
        memory.states.append(state)
        memory.actions.append(action)
        return action.item()

    def update(self, memory):
        returns = []
        running = 0.0
        for reward in reversed(memory.rewards):
            running = reward + self.gamma * running  # expect: TL457
            returns.insert(0, running)
        returns = torch.tensor(returns)
        returns = (returns - returns.mean()) / (returns.std() + 1e-5)
        states = torch.stack(memory.states)
        actions = torch.tensor(memory.actions)
        logp = torch.distributions.Categorical(logits=self.policy(states)).log_prob(actions)
        loss = -(logp * returns).mean()
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()


def main():
    torch.manual_seed(0)
    env = ToyEnv()
    memory = Memory()
    agent = Agent()
    timestep = 0
    for episode in range(20):
        state = env.reset()
        for t in range(50):
            timestep += 1
            action = agent.act(state, memory)
            state, reward, done, _ = env.step(action)
            memory.rewards.append(reward)
            if timestep % 64 == 0:
                agent.update(memory)
                memory.clear()
            if done:
                break


main()
