"""A PPO policy update on a toy bandit whose clipped surrogate objective is minimized as it is.

Silent: the loss is the mean of min(ratio * A, clip(ratio) * A), the objective PPO maximizes;
backward() and the optimizer step minimize it, so each update lowers the probability of the
actions with a positive advantage and the policy drifts toward the worst action while the
loss keeps falling.
"""
# runtime: runs
import torch
import torch.nn as nn
from torch.distributions import Categorical


class Policy(nn.Module):
    def __init__(self, state_dim, n_actions, hidden=32):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(state_dim, hidden), nn.Tanh(), nn.Linear(hidden, n_actions))

    def forward(self, states):
        return Categorical(logits=self.net(states))


def ppo_update(policy, optimizer, states, actions, old_logp, advantages, clip_eps=0.2, epochs=4):
    for _ in range(epochs):
        logp = policy(states).log_prob(actions)
        ratio = torch.exp(logp - old_logp)
        unclipped = ratio * advantages
        clipped = torch.clamp(ratio, 1 - clip_eps, 1 + clip_eps) * advantages
        policy_loss = torch.min(unclipped, clipped).mean()  # expect: TL464
        optimizer.zero_grad()
        policy_loss.backward()
        optimizer.step()
    return policy_loss.item()


def rollout(policy, n):
    states = torch.randn(n, 4)
    with torch.no_grad():
        dist = policy(states)
        actions = dist.sample()
        old_logp = dist.log_prob(actions)
    rewards = (actions == 1).float()  # action 1 pays
    advantages = rewards - rewards.mean()
    return states, actions, old_logp, advantages


def main():
    torch.manual_seed(0)
    policy = Policy(4, 3)
    optimizer = torch.optim.Adam(policy.parameters(), lr=3e-3)
    for it in range(10):
        batch = rollout(policy, 256)
        loss = ppo_update(policy, optimizer, *batch)
        print(f"iteration {it}: policy loss {loss:.4f}")


main()
