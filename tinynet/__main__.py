"""``python -m tinynet``: the command line (see ``tinynet.cli``)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
