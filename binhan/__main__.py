"""`python -m binhan …`: the same as the `binhan` command."""

import sys

from binhan.cli import main

sys.exit(main())
