"""A DCGAN discriminator whose weights_init draws the BatchNorm scale and then fills it with zeros.

The fill_(0) was meant for the bias: it overwrites the scale drawn on the line before, so every
BatchNorm layer starts with gamma = 0 and outputs its bias alone, whatever the image.
"""
# runtime: runs
import torch
import torch.nn as nn


def weights_init(m):
    classname = m.__class__.__name__
    if classname.find("Conv") != -1:
        m.weight.data.normal_(0.0, 0.02)
    elif classname.find("BatchNorm") != -1:
        m.weight.data.normal_(1.0, 0.02)  # expect: TL439
        m.weight.data.fill_(0)


netD = nn.Sequential(
    nn.Conv2d(3, 16, 4, 2, 1, bias=False),
    nn.LeakyReLU(0.2, inplace=True),
    nn.Conv2d(16, 32, 4, 2, 1, bias=False),
    nn.BatchNorm2d(32),
    nn.LeakyReLU(0.2, inplace=True),
    nn.Conv2d(32, 1, 8, 1, 0, bias=False),
    nn.Sigmoid(),
)
netD.apply(weights_init)
images = torch.randn(8, 3, 32, 32)
out = netD(images).view(-1)
loss = nn.functional.binary_cross_entropy(out, torch.ones(8))
loss.backward()
print(float(loss))
