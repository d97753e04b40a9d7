"""A DDPG critic update that hands the critic its state and action packed in one list.

Critic.forward takes the state and the action as two arguments: `self.critic([state, action])`
raises TypeError (missing argument `action`) at the first update.
"""
# runtime: raises TypeError
import torch
import torch.nn as nn
import torch.nn.functional as F


class Critic(nn.Module):
    def __init__(self, n_obs, n_act):
        super().__init__()
        self.l1 = nn.Linear(n_obs, 64)
        self.l2 = nn.Linear(64 + n_act, 1)

    def forward(self, state, action):
        h = F.relu(self.l1(state))
        return self.l2(torch.cat([h, action], dim=1))


class DDPG:
    def __init__(self, n_obs, n_act):
        self.critic = Critic(n_obs, n_act)
        self.critic_target = Critic(n_obs, n_act)
        self.critic_target.load_state_dict(self.critic.state_dict())
        self.critic_opt = torch.optim.Adam(self.critic.parameters(), lr=1e-3)

    def train_step(self, state, action, target_q):
        current_q = self.critic([state, action])  # expect: TL224
        loss = F.mse_loss(current_q, target_q)
        self.critic_opt.zero_grad()
        loss.backward()
        self.critic_opt.step()
        return loss.item()


agent = DDPG(3, 1)
print(agent.train_step(torch.randn(8, 3), torch.randn(8, 1), torch.randn(8, 1)))
