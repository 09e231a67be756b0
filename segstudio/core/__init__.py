"""Qt-free logic of the desktop app: the rule tree, its history, validation, summaries and preview scheduling.

An import-linter contract (pyproject.toml) keeps Qt out of this package.
"""
