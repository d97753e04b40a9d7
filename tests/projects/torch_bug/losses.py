import torch.nn as nn


class SmoothScore(nn.Module):
    def forward(self, prediction, reference):
        return ((prediction - prediction.mean(0)) ** 2).mean()


class FocalLoss(nn.Module):
    def forward(self, logits, target):
        return (logits.sigmoid() ** 2).mean()
