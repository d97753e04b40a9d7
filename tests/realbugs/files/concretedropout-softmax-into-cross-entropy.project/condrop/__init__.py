from .concrete_dropout import ConcreteDropout
from .utils.concrete_regulariser import concrete_regulariser
