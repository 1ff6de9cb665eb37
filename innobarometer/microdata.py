"""Load the respondent-level microdata and validate it against the codebook.

Every problem is reported with the file, the column and the rows, so that a broken file stops
the build with a message a person can act on.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from innobarometer import codebook
from innobarometer.paths import BUILD_ENV, CODEBOOK, MICRODATA_CACHE, microdata_path

SHOWN_ROWS = 10


@dataclass
class Problem:
    message: str
    column: str | None = None
    rows: list[int] = field(default_factory=list)  # 0-based data rows
    values: list[str] = field(default_factory=list)

    def describe(self) -> str:
        where = f"column '{self.column}'" if self.column else "file"
        if self.rows:
            shown = self.rows[:SHOWN_ROWS]
            rows = ", ".join(str(r + 1) for r in shown)
            lines = ", ".join(str(r + 2) for r in shown)
            more = f" and {len(self.rows) - len(shown)} more" if len(self.rows) > len(shown) else ""
            where += f", row{'s' if len(self.rows) > 1 else ''} {rows}{more} (file line{'s' if len(shown) > 1 else ''} {lines})"
        found = ""
        if self.values:
            found = "; found " + ", ".join(repr(v) for v in self.values[:SHOWN_ROWS])
        return f"{where}: {self.message}{found}"


class DataError(ValueError):
    """The microdata file cannot be used; the message names file, column and rows."""

    def __init__(self, path: Path, problems: list[Problem]):
        self.path = Path(path)
        self.problems = problems
        lines = [f"Invalid microdata in {self.path}:"] + [f"  - {p.describe()}" for p in problems]
        super().__init__("\n".join(lines))


def load_microdata(path: Path | str | None = None, *, cache: bool | None = None) -> pd.DataFrame:
    """The validated microdata, one row per responding workplace, with typed columns.

    Adds the derived column `innovated_any` (introduced at least one type of innovation).
    Columns outside the codebook are kept out of the result and listed in
    ``frame.attrs["ignored_columns"]``.

    With `cache` (by default: inside a book build) the validated table is kept by content, so a
    build validates the data once rather than once per notebook.
    """
    path = Path(path) if path is not None else microdata_path()
    if cache is None:
        cache = bool(os.environ.get(BUILD_ENV))
    if not cache:
        return validated(read_raw_table(path), path)
    kept = MICRODATA_CACHE / f"{content_digest(path)}.pkl"
    if kept.exists():
        return pd.read_pickle(kept)
    frame = validated(read_raw_table(path), path)
    MICRODATA_CACHE.mkdir(parents=True, exist_ok=True)
    temporary = kept.with_suffix(f".{os.getpid()}.tmp")
    frame.to_pickle(temporary)
    temporary.replace(kept)
    return frame


def content_digest(path: Path) -> str:
    """Hash of the file, of the codebook it is validated against and of the validating code."""
    digest = hashlib.sha256(str(path.resolve()).encode())
    for part in [path, *sorted(CODEBOOK.glob("*.csv")), Path(__file__), Path(codebook.__file__)]:
        digest.update(part.read_bytes() if part.is_file() else b"")
    return digest.hexdigest()


def read_raw_table(path: Path) -> pd.DataFrame:
    """The file as a table of stripped strings, or a DataError saying why it cannot be read."""
    if not path.is_file():
        raise DataError(path, [Problem("the file does not exist")])
    data = path.read_bytes()
    if not data.strip():
        raise DataError(path, [Problem("the file is empty")])
    text = decoded(data, path)
    header = text.splitlines()[0]
    # A Danish Excel export separates with semicolons and writes decimal commas.
    separator = ";" if header.count(";") > header.count(",") else ","
    try:
        table = pd.read_csv(io.StringIO(text), sep=separator, dtype=str, keep_default_na=False)
    except pd.errors.ParserError as error:
        raise DataError(path, [Problem(f"the file is not a well-formed CSV table ({error})")]) from None
    table.columns = [c.strip() for c in table.columns]
    table = table.apply(lambda col: col.str.strip())
    table.attrs["separator"] = separator
    if table.empty:
        raise DataError(path, [Problem("the file has a header but no rows")])
    return table


def decoded(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DataError(
            path,
            [
                Problem(
                    f"the file is not UTF-8 (byte 0x{data[error.start]:02x} on line {line}; "
                    "probably Latin-1/Windows-1252). Save it as UTF-8, e.g. "
                    f"'iconv -f latin1 -t utf-8 {path.name} > {path.stem}-utf8.csv'"
                )
            ],
        ) from None


def validated(raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    schema = codebook.columns()
    missing = [name for name, col in schema.items() if col.required and name not in raw.columns]
    if missing:
        raise DataError(
            path,
            [Problem(f"required column missing (expected by data/codebook/columns.csv)", column=name) for name in missing],
        )
    problems: list[Problem] = []
    frame = pd.DataFrame(index=raw.index)
    for name, column in schema.items():
        if name not in raw.columns:
            continue
        parse = PARSERS[column.kind]
        frame[name], column_problems = parse(raw[name], name, raw.attrs.get("separator", ","))
        problems += column_problems
    if not problems:
        problems += inconsistencies(frame) + design_problems(frame) + publishable_problems(frame)
    if problems:
        raise DataError(path, problems)
    frame["innovated_any"] = innovated_any(frame).astype("Int8")  # derived: at least one type
    frame.attrs["ignored_columns"] = [c for c in raw.columns if c not in schema]
    frame.attrs["path"] = str(path)
    return frame


def rows_where(mask: pd.Series) -> list[int]:
    return [int(i) for i in mask[mask].index]


def parse_id(values: pd.Series, name: str, separator: str):
    problems = []
    empty = values == ""
    if empty.any():
        problems.append(Problem("an id is required", name, rows_where(empty)))
    duplicated = values.duplicated(keep=False) & ~empty
    if duplicated.any():
        rows = rows_where(duplicated)
        problems.append(Problem("ids must be unique", name, rows, [values[r] for r in rows]))
    return values, problems


def parse_code(values: pd.Series, name: str, separator: str):
    allowed = codebook.codes(name)
    unknown = ~values.isin(list(allowed))
    if unknown.any():
        rows = rows_where(unknown)
        return values, [
            Problem(f"unknown code, expected one of {', '.join(allowed)}", name, rows, [values[r] for r in rows])
        ]
    return values, []


def parse_weight(values: pd.Series, name: str, separator: str):
    text = values.str.replace(",", ".", regex=False) if separator == ";" else values
    numbers = pd.to_numeric(text, errors="coerce")
    bad = numbers.isna() | ~(numbers > 0) | numbers.map(lambda x: not math.isfinite(x) if pd.notna(x) else True)
    if bad.any():
        rows = rows_where(bad)
        return numbers, [Problem("expected a positive number", name, rows, [values[r] for r in rows])]
    return numbers.astype(float), []


def parse_binary(values: pd.Series, name: str, separator: str, allow_empty: bool = False):
    allowed = {"0", "1"} | ({""} if allow_empty else set())
    bad = ~values.isin(allowed)
    expected = "expected 0 or 1" + (", or empty" if allow_empty else "")
    if bad.any():
        rows = rows_where(bad)
        return None, [Problem(expected, name, rows, [values[r] for r in rows])]
    return pd.to_numeric(values.replace("", None)).astype("Int8"), []


def parse_latest(values: pd.Series, name: str, separator: str):
    return parse_binary(values, name, separator, allow_empty=True)


def parse_stratum(values: pd.Series, name: str, separator: str):
    empty = values == ""
    if empty.any():
        return values, [Problem("a stratum code is required in every row", name, rows_where(empty))]
    return values, []


def parse_population(values: pd.Series, name: str, separator: str):
    numbers = pd.to_numeric(values, errors="coerce")
    bad = ~(numbers >= 1) | (numbers != numbers.round())
    if bad.any():
        rows = rows_where(bad.fillna(True))
        return numbers, [Problem("expected a whole number of at least 1", name, rows, [values[r] for r in rows])]
    return numbers.astype("int64"), []


PARSERS = {
    "id": parse_id,
    "code": parse_code,
    "weight": parse_weight,
    "binary": parse_binary,
    "latest": parse_latest,
    "stratum": parse_stratum,
    "population": parse_population,
}


def design_problems(frame: pd.DataFrame) -> list[Problem]:
    """Breaks of the design columns' rules: a population needs strata, is constant within one
    and is at least the stratum's number of respondents."""
    if "stratum_population" not in frame.columns:
        return []
    if "stratum" not in frame.columns:
        return [Problem("needs the column 'stratum' (the strata the population counts refer to)", "stratum_population")]
    problems = []
    groups = frame.groupby("stratum")["stratum_population"]
    varying = groups.transform("nunique") > 1
    if varying.any():
        problems.append(Problem("must be the same in every row of a stratum", "stratum_population", rows_where(varying)))
    too_small = frame["stratum_population"] < groups.transform("size")
    if too_small.any():
        problems.append(Problem("is smaller than the stratum's number of respondents", "stratum_population", rows_where(too_small)))
    return problems


def innovated_any(frame: pd.DataFrame) -> pd.Series:
    return frame[[f"innovated_{t}" for t in codebook.TYPES]].sum(axis=1) > 0


def inconsistencies(frame: pd.DataFrame) -> list[Problem]:
    """Breaks of the answer rules between the introduced types and the latest innovation."""
    problems = []
    innovator = innovated_any(frame)
    latest_columns = [f"latest_{t}" for t in codebook.TYPES] + ["latest_quality"]
    answered = frame[latest_columns].notna()
    for t in codebook.TYPES:
        latest, introduced = frame[f"latest_{t}"], frame[f"innovated_{t}"]
        broken = (latest == 1).fillna(False) & (introduced == 0)
        if broken.any():
            problems.append(
                Problem(f"the latest innovation includes this type, but innovated_{t} is 0", f"latest_{t}", rows_where(broken))
            )
    for column in latest_columns:
        missing = innovator & ~answered[column]
        if missing.any():
            problems.append(Problem("an innovating workplace must answer this (0 or 1)", column, rows_where(missing)))
        stray = ~innovator & answered[column]
        if stray.any():
            problems.append(Problem("must be empty for a workplace that introduced no innovation", column, rows_where(stray)))
    no_type = innovator & answered[latest_columns[:-1]].all(axis=1) & (frame[latest_columns[:-1]].sum(axis=1) == 0)
    if no_type.any():
        problems.append(
            Problem("an innovating workplace's latest innovation must include at least one type", "latest_*", rows_where(no_type))
        )
    return problems


def publishable_problems(frame: pd.DataFrame) -> list[Problem]:
    """The book's headline estimates (all workplaces, all innovations) must pass the disclosure rule."""
    from innobarometer import disclosure

    least = disclosure.MIN_RESPONDENTS
    if len(frame) < least:
        return [Problem(f"the file has {len(frame)} respondents; the disclosure rule publishes no estimate from fewer than {least}")]
    innovators = int(innovated_any(frame).sum())
    if innovators < least:
        return [Problem(f"the file has {innovators} innovating workplaces; the disclosure rule publishes no estimate from fewer than {least}, so the chapter's figures cannot be made")]
    return []


def main() -> int:
    """Validate the configured microdata; print a summary or the problems."""
    import sys

    try:
        frame = load_microdata()
    except DataError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{frame.attrs['path']}: {len(frame)} rows valid against data/codebook/.")
    if frame.attrs["ignored_columns"]:
        print("Columns not in the codebook, ignored: " + ", ".join(frame.attrs["ignored_columns"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
