"""`python -m segstudio` and the PyInstaller entry point."""

from segstudio.main import run_and_exit

if __name__ == "__main__":
    run_and_exit()
