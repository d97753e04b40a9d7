from . import utils
from . import generator
