from .lenet import *
from .vgg import *
