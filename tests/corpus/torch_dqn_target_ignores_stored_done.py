"""A small PyTorch DQN whose TD target never reads the done mask its replay buffer returns.

Silent: each transition is stored with `0.0 if done else 1.0` beside the reward, `sample`
hands the mask back as the fifth tensor, and the training step unpacks it as `done_mask` and
then bootstraps `gamma * max Q'(s')` at every transition, including the last of each episode.
"""
# runtime: runs
import collections
import random

import torch
import torch.nn as nn
import torch.nn.functional as F


class ToyEnv:
    def __init__(self):
        self.t = 0

    def reset(self):
        self.t = 0
        return [0.0, 0.0, 0.0, 0.0]

    def step(self, action):
        self.t += 1
        return [random.random() for _ in range(4)], 1.0, self.t >= 12, {}


class ReplayBuffer:
    def __init__(self, limit=1000):
        self.buffer = collections.deque(maxlen=limit)

    def put(self, transition):
        self.buffer.append(transition)

    def sample(self, n):
        batch = random.sample(self.buffer, n)
        s, a, r, s_prime, mask = zip(*batch)
        return (torch.tensor(s), torch.tensor(a).unsqueeze(1), torch.tensor(r),
                torch.tensor(s_prime), torch.tensor(mask))

    def size(self):
        return len(self.buffer)


def train(q, q_target, memory, optimizer, gamma=0.98):
    s, a, r, s_prime, done_mask = memory.sample(32)
    q_a = q(s).gather(1, a).squeeze(1)
    target = r + gamma * q_target(s_prime).max(1)[0]  # expect: TL458
    loss = F.smooth_l1_loss(q_a, target.detach())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


def main():
    random.seed(0)
    torch.manual_seed(0)
    env = ToyEnv()
    q, q_target = nn.Linear(4, 2), nn.Linear(4, 2)
    q_target.load_state_dict(q.state_dict())
    memory = ReplayBuffer()
    optimizer = torch.optim.Adam(q.parameters(), lr=1e-3)
    for episode in range(10):
        s = env.reset()
        done = False
        while not done:
            a = random.randrange(2)
            s_prime, r, done, info = env.step(a)
            memory.put((s, a, r / 10.0, s_prime, 0.0 if done else 1.0))
            s = s_prime
        if memory.size() > 64:
            train(q, q_target, memory, optimizer)


main()
