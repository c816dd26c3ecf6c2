"""``python -m bargain.cli``: the same as the ``bargain`` command."""

import sys

from bargain.cli.main import main

sys.exit(main())
