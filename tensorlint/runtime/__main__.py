"""`python -m tensorlint.runtime FILE ...`: the shape check without the main CLI."""
import sys

from .cli import main

sys.exit(main(sys.argv[1:]))
