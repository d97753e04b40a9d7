"""A small PPO agent on a toy environment whose old policy starts as an unrelated network.

Silent: `policy_old` collects the rollouts and gives the denominator of the ratio, but it is a
second ActorCritic with its own random weights; it receives the trained policy's weights only at
the end of each update, so the first batch of data comes from a different policy than the one
being trained and the first update's ratios are far from 1.
"""
# runtime: runs
import random

import torch
import torch.nn as nn
from torch.distributions import Categorical


class ToyEnv:
    def __init__(self):
        self.t = 0

    def reset(self):
        self.t = 0
        return [random.random() for _ in range(4)]

    def step(self, action):
        self.t += 1
        return [random.random() for _ in range(4)], float(action), self.t >= 20, {}


class Memory:
    def __init__(self):
        self.states, self.actions, self.logprobs, self.rewards = [], [], [], []

    def clear(self):
        self.__init__()


class ActorCritic(nn.Module):
    def __init__(self, state_dim, action_dim, hidden):
        super().__init__()
        self.actor = nn.Sequential(nn.Linear(state_dim, hidden), nn.Tanh(), nn.Linear(hidden, action_dim),
                                   nn.Softmax(dim=-1))
        self.critic = nn.Sequential(nn.Linear(state_dim, hidden), nn.Tanh(), nn.Linear(hidden, 1))

    def act(self, state, memory):
        state = torch.tensor(state, dtype=torch.float32)
        dist = Categorical(self.actor(state))
        action = dist.sample()
        memory.states.append(state)
        memory.actions.append(action)
        memory.logprobs.append(dist.log_prob(action))
        return action.item()

    def evaluate(self, states, actions):
        dist = Categorical(self.actor(states))
        return dist.log_prob(actions), self.critic(states).squeeze(-1), dist.entropy()


class PPO:
    def __init__(self, state_dim, action_dim, hidden, lr, epochs, eps_clip):
        self.epochs, self.eps_clip = epochs, eps_clip
        self.policy = ActorCritic(state_dim, action_dim, hidden)
        self.optimizer = torch.optim.Adam(self.policy.parameters(), lr=lr)
        self.policy_old = ActorCritic(state_dim, action_dim, hidden)  # expect: TL463

    def update(self, memory):
        returns = torch.tensor(memory.rewards, dtype=torch.float32)
        returns = (returns - returns.mean()) / (returns.std() + 1e-5)
        old_states = torch.stack(memory.states).detach()
        old_actions = torch.stack(memory.actions).detach()
        old_logprobs = torch.stack(memory.logprobs).detach()
        for _ in range(self.epochs):
            logprobs, values, entropy = self.policy.evaluate(old_states, old_actions)
            ratios = torch.exp(logprobs - old_logprobs)
            advantages = returns - values.detach()
            surr = torch.min(ratios * advantages, torch.clamp(ratios, 1 - self.eps_clip, 1 + self.eps_clip) * advantages)
            loss = -surr + 0.5 * (values - returns) ** 2 - 0.01 * entropy
            self.optimizer.zero_grad()
            loss.mean().backward()
            self.optimizer.step()
        self.policy_old.load_state_dict(self.policy.state_dict())


def main():
    torch.manual_seed(0)
    random.seed(0)
    env, memory = ToyEnv(), Memory()
    ppo = PPO(4, 2, 32, 0.002, 4, 0.2)
    for episode in range(5):
        state, done = env.reset(), False
        while not done:
            action = ppo.policy_old.act(state, memory)
            state, reward, done, _ = env.step(action)
            memory.rewards.append(reward)
        ppo.update(memory)
        memory.clear()


main()
