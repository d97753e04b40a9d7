"""A torch attention layer whose key padding mask is the absolute value of a sum of features.

Silent: a real key whose features sum to 0 is masked as padding; attention never looks at it,
and nothing warns.
"""
# runtime: runs
import torch

torch.manual_seed(0)


def attend(queries, keys):
    scores = queries @ keys.transpose(1, 2) / keys.shape[-1] ** 0.5
    present = keys.sum(-1).abs() != 0  # expect: TL232
    scores = scores.masked_fill(~present[:, None, :], float("-inf"))
    return torch.softmax(scores, dim=-1) @ keys


keys = torch.randn(2, 5, 4)
keys[:, 4] = 0.0  # padding
keys[0, 2] = torch.tensor([1.0, -1.0, 2.0, -2.0])  # a real key whose features cancel
queries = torch.randn(2, 3, 4)
out = attend(queries, keys)
