"""A small PyTorch language model whose accumulated gradient is clipped as if it were one batch's.

Silent: eight micro-batches are backpropagated without dividing their mean losses by eight,
so the gradient that `clip_grad_norm_` measures is eight times the batch's and the threshold of
1.0 cuts almost every step, whatever the learning rate schedule says.
"""
# runtime: runs
import torch
import torch.nn as nn
import torch.nn.functional as F


class TinyLM(nn.Module):
    def __init__(self, vocab=50, dim=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.head = nn.Linear(dim, vocab)

    def forward(self, idx, targets):
        logits = self.head(self.emb(idx))
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), targets.reshape(-1))
        return logits, loss


def get_batch(batch_size=4, block=16):
    idx = torch.randint(0, 50, (batch_size, block + 1))
    return idx[:, :-1], idx[:, 1:]


def main():
    torch.manual_seed(0)
    model = TinyLM()
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
    accum_steps = 8
    grad_clip = 1.0
    X, Y = get_batch()
    for it in range(20):
        for micro_step in range(accum_steps):
            logits, loss = model(X, Y)
            X, Y = get_batch()
            loss.backward()  # expect: TL007
        torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)


main()
