"""Import a CSV file through the same validation and upsert as `POST /ingest/{entity}`.

Columns are the entity's wire fields; nested ones are dotted (`address.province`,
`loyalty.current_tier`, `custom.<key>`), lists (`usernames`, `tags`, multiple selection and
file upload custom values) are separated by `;`. Cells are text, so each is first turned into the
JSON value the API would receive (numbers, booleans, lists, a signature object); a cell that does
not convert is passed on as text and the shared validator reports it.

Decisions: an empty cell means "not given" and keeps the stored value (CSV cannot tell an empty
value from a missing one); a signature cell is either a JSON object `{"url", "complete"}` or a
bare URL, meaning a complete signature. The whole file is one batch: all of it or nothing.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

from sqlalchemy.orm import Session

from backend.errors import ApiError
from backend.ingest import service
from backend.ingest.custom_values import CustomDef
from backend.ingest.fields import EntitySpec, FieldSpec, Kind, ObjectSpec
from backend.ingest.service import IngestResult

LIST_SEPARATOR = ";"
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


class CsvImportError(Exception):
    """The file is invalid; `lines` are the messages, `line N: field: message`, in file order."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass(frozen=True)
class _Column:
    name: str
    parts: tuple[str, ...]  # where the value goes in the record: ("full_name",), ("address", "city")
    convert: Callable[[str], Any]


def _number(cell: str) -> Any:
    try:
        return int(cell)
    except ValueError:
        pass
    try:
        return float(cell)
    except ValueError:
        return cell


def _boolean(cell: str) -> Any:
    low = cell.lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    return cell


def _split(cell: str) -> list[str]:
    return [item.strip() for item in cell.split(LIST_SEPARATOR) if item.strip()]


def _signature(cell: str) -> Any:
    if cell.startswith("{"):
        try:
            return json.loads(cell)
        except ValueError:
            return cell
    return {"url": cell, "complete": True}


def _text(cell: str) -> str:
    return cell


def _converter(spec: FieldSpec) -> Callable[[str], Any]:
    if spec.kind in (Kind.INT, Kind.NUMBER):
        return _number
    if spec.kind is Kind.BOOL:
        return _boolean
    if spec.kind is Kind.TEXT_LIST:
        return _split
    return _text


def _custom_converter(definition: CustomDef) -> Callable[[str], Any]:
    if definition.type == "number":
        return _number
    if definition.type in ("multiple_selection", "file_upload"):
        return _split
    if definition.type == "signature":
        return _signature
    return _text


def _columns(header: list[str], entity: EntitySpec, defs: dict[str, CustomDef]) -> list[_Column]:
    columns: list[_Column] = []
    problems: list[str] = []
    seen: set[str] = set()
    for raw in header:
        name = raw.strip()
        head, _, rest = name.partition(".")
        spec = entity.fields.get(head)
        if name in seen:
            problems.append(f"line 1: {name}: The column appears twice.")
        elif name == "id":
            columns.append(_Column(name, ("id",), _text))
        elif isinstance(spec, ObjectSpec) and rest in spec.fields:
            columns.append(_Column(name, (head, rest), _converter(spec.fields[rest])))
        elif isinstance(spec, FieldSpec) and spec.kind is Kind.CUSTOM and rest:
            if rest in defs:
                columns.append(_Column(name, (head, rest), _custom_converter(defs[rest])))
            else:
                problems.append(f"line 1: {name}: No custom field with the key {rest!r} is defined.")
        elif isinstance(spec, FieldSpec) and spec.kind is not Kind.CUSTOM and not rest:
            columns.append(_Column(name, (name,), _converter(spec)))
        else:
            problems.append(f"line 1: {name}: Unknown column for {entity.name}.")
        seen.add(name)
    if "id" not in seen:
        problems.append("line 1: id: The file needs an id column.")
    if problems:
        raise CsvImportError(problems)
    return columns


def read_records(stream: TextIO, entity: EntitySpec, defs: dict[str, CustomDef]) -> tuple[list[dict], list[int]]:
    """The file's records as API records, and the line each starts on (the header is line 1)."""
    reader = csv.reader(stream)
    header = next(reader, None)
    if header is None:
        raise CsvImportError(["line 1: The file is empty; it needs a header row."])
    columns = _columns(header, entity, defs)
    records: list[dict] = []
    lines: list[int] = []
    problems: list[str] = []
    start = reader.line_num + 1
    for cells in reader:
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(columns):
            problems.append(f"line {line}: The row has {len(cells)} cells but the header has {len(columns)}.")
            continue
        record: dict[str, Any] = {}
        for column, cell in zip(columns, cells, strict=False):
            if cell == "":
                continue
            target = record
            for part in column.parts[:-1]:
                target = target.setdefault(part, {})
            target[column.parts[-1]] = column.convert(cell)
        records.append(record)
        lines.append(line)
    if problems:
        raise CsvImportError(problems)
    return records, lines


def import_csv(session: Session, org_id: int, stream: TextIO, entity_name: str = "customers") -> IngestResult:
    """Validate the whole file and upsert it; raises CsvImportError and writes nothing when invalid."""
    entity = service.entity_spec(entity_name)
    defs = service.custom_defs(session, org_id) if entity.name == "customers" else {}
    records, lines = read_records(stream, entity, defs)
    try:
        return service.ingest(session, org_id, entity.name, records, limit=None)
    except ApiError as exc:
        if not exc.fields:
            raise
        raise CsvImportError([_line_message(f.path, f.message, lines) for f in exc.fields]) from exc


def _line_message(path: str, message: str, lines: list[int]) -> str:
    parts = path.split(".")
    if len(parts) >= 2 and parts[0] == "records" and parts[1].isdigit():
        return f"line {lines[int(parts[1])]}: {'.'.join(parts[2:]) or 'record'}: {message}"
    return f"{path}: {message}"
