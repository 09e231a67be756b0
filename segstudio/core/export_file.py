"""Writing an export so a cancel or failure leaves nothing half-written, and its progress (no Qt).

Chunks go to a hidden temporary file in the destination folder (same filesystem, so the final move is
an atomic rename); `commit` moves it into place, `abort` removes it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

FORMATS = {"csv": "CSV (*.csv)", "xlsx": "Excel workbook (*.xlsx)"}


class ExportError(Exception):
    """What the user reads when the file cannot be written."""


def with_suffix(path: str | Path, fmt: str) -> Path:
    p = Path(path)
    return p if p.suffix.lower() == f".{fmt}" else p.with_name(p.name + f".{fmt}")


def default_name(segment_name: str, fmt: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in segment_name).strip() or "segment"
    return f"{safe} members.{fmt}"


class AtomicFile:
    def __init__(self, target: str | Path) -> None:
        self.target = Path(target)
        self._tmp: Path | None = None
        self._handle: IO[bytes] | None = None
        self.written = 0

    def open(self) -> None:
        folder = self.target.parent
        if not folder.is_dir():
            raise ExportError(f"The folder {folder} does not exist.")
        try:
            fd, name = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".part", dir=folder)
        except PermissionError as exc:
            raise ExportError(f"You do not have permission to save files in {folder}. "
                              "Choose another folder.") from exc
        except OSError as exc:
            raise ExportError(f"Cannot save in {folder}: {exc.strerror or exc}.") from exc
        self._tmp = Path(name)
        self._handle = os.fdopen(fd, "wb")

    def write(self, chunk: bytes) -> None:
        assert self._handle is not None, "open() first"
        try:
            self._handle.write(chunk)
        except OSError as exc:
            self.abort()
            raise ExportError(f"Writing {self.target.name} failed: {exc.strerror or exc}.") from exc
        self.written += len(chunk)

    def commit(self) -> Path:
        assert self._handle is not None and self._tmp is not None, "open() first"
        try:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
            os.replace(self._tmp, self.target)
        except OSError as exc:
            self.abort()
            raise ExportError(f"Saving {self.target.name} failed: {exc.strerror or exc}.") from exc
        self._handle = self._tmp = None
        return self.target

    def abort(self) -> None:
        if self._handle is not None:
            with contextlib.suppress(OSError):
                self._handle.close()
        if self._tmp is not None:
            with contextlib.suppress(OSError):
                self._tmp.unlink()
        self._handle = self._tmp = None

    @property
    def temp_path(self) -> Path | None:
        return self._tmp


@dataclass
class ExportProgress:
    """Progress of a download whose size the server does not send: CSV rows are counted against the
    number of members the user may see; an XLSX (one zipped body) is only known to be moving."""

    fmt: str
    expected_rows: int
    rows: int = 0
    bytes: int = 0

    def feed(self, chunk: bytes) -> None:
        self.bytes += len(chunk)
        if self.fmt == "csv":
            self.rows += chunk.count(b"\n")

    @property
    def determinate(self) -> bool:
        return self.fmt == "csv" and self.expected_rows > 0

    @property
    def percent(self) -> int:
        if not self.determinate:
            return 0
        # The header is one line too; cap below 100 until the stream has really ended.
        return min(99, int(max(0, self.rows - 1) * 100 / self.expected_rows))

    @property
    def label(self) -> str:
        kb = self.bytes / 1024
        size = f"{kb:,.0f} KB" if kb < 1024 else f"{kb / 1024:,.1f} MB"
        if self.determinate:
            return f"{min(max(0, self.rows - 1), self.expected_rows):,} of {self.expected_rows:,} customers · {size}"
        return f"{size} received"
