"""A captioning loss that unpacks pack_padded_sequence into two names (PackedSequence has four fields)."""
# runtime: raises ValueError
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence

vocab_size = 12
criterion = nn.CrossEntropyLoss()


def caption_loss(scores, targets, decode_lengths):
    scores, _ = pack_padded_sequence(scores, decode_lengths, batch_first=True)  # expect: TL222
    targets, _ = pack_padded_sequence(targets, decode_lengths, batch_first=True)  # expect: TL222
    return criterion(scores, targets)


scores = torch.randn(3, 7, vocab_size, requires_grad=True)
targets = torch.randint(0, vocab_size, (3, 7))
loss = caption_loss(scores, targets, [7, 5, 4])
loss.backward()
print(loss.item())
