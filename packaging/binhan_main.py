"""Entry script for the PyInstaller bundle: the same `binhan` command as the console script."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
