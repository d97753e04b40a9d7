from . import data_loader
