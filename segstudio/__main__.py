"""`python -m segstudio` and the PyInstaller entry point."""

import sys

from segstudio.main import main

if __name__ == "__main__":
    sys.exit(main())
