"""Two Subsets of one dataset; the labels of the training subset are remapped through `.dataset.target_transform`.

Silent: the validation subset shares the dataset, so its labels are remapped as well.
"""
# runtime: runs
import torch
from torch.utils.data import Dataset, Subset


class Labeled(Dataset):
    def __init__(self, n):
        self.x = torch.randn(n, 4)
        self.y = torch.arange(n) % 10
        self.target_transform = None

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        y = int(self.y[i])
        return self.x[i], (self.target_transform(y) if self.target_transform else y)


data = Labeled(200)
order = torch.randperm(200).tolist()
train_set = Subset(data, order[:160])
val_set = Subset(data, order[160:])
train_set.dataset.target_transform = lambda y: 1 if y >= 5 else 0  # expect: TL432
val_labels = [val_set[i][1] for i in range(len(val_set))]
print(sorted(set(val_labels)))
