"""`python -m jazz_core`: the command line."""

import sys

from jazz_core.cli import main

sys.exit(main())
