VERSION = (1, 0, '0b1')

__version__ = '.'.join(map(str, VERSION))
