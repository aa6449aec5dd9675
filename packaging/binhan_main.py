"""Entry script for the PyInstaller bundle: the same `binhan` command as the console script."""

import sys

from binhan.cli import main

if __name__ == "__main__":
    sys.exit(main())
