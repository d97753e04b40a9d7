"""A transformer attention block that builds its output projection and LayerNorm inside forward().

The two layers get new random weights at every call and are not submodules: the optimizer never
sees them, and the same input gives another output at each call, even in eval mode.
"""
# runtime: runs
import torch
import torch.nn as nn

d_model, n_heads, d_k = 32, 4, 8


class MultiHeadAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.W_Q = nn.Linear(d_model, d_k * n_heads)
        self.W_K = nn.Linear(d_model, d_k * n_heads)
        self.W_V = nn.Linear(d_model, d_k * n_heads)

    def forward(self, Q, K, V):
        residual, batch_size = Q, Q.size(0)
        q = self.W_Q(Q).view(batch_size, -1, n_heads, d_k).transpose(1, 2)
        k = self.W_K(K).view(batch_size, -1, n_heads, d_k).transpose(1, 2)
        v = self.W_V(V).view(batch_size, -1, n_heads, d_k).transpose(1, 2)
        attn = torch.softmax(q @ k.transpose(-1, -2) / d_k ** 0.5, dim=-1)
        context = (attn @ v).transpose(1, 2).reshape(batch_size, -1, n_heads * d_k)
        output = nn.Linear(n_heads * d_k, d_model)(context)  # expect: TL109
        return nn.LayerNorm(d_model)(output + residual)  # expect: TL109


model = MultiHeadAttention()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
x = torch.randn(4, 6, d_model)
target = torch.randn(4, 6, d_model)
for step in range(3):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(x, x, x), target)
    loss.backward()
    optimizer.step()
model.eval()
with torch.no_grad():
    first = model(x, x, x)
    second = model(x, x, x)
print(loss.item())
