from .base import *
from .figure import *
from .data import *
from .model import *
from .train import *

__version__ = '0.1.1'
