from .objects import KerasObject, Loss, Metric
from . import functional
