"""Load the respondent-level microdata and validate it against the codebook.

Every problem is reported with the file, the column and the rows, so that a broken file stops
the build with a message a person can act on.
"""

from __future__ import annotations

import codecs
import csv
import errno
import math
import os
import re
import shlex
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from innobarometer.data import codebook
from innobarometer.paths import ROOT, microdata_path
from innobarometer.text.escape import printable

SHOWN_ROWS = 10


@dataclass
class Problem:
    message: str
    column: str | None = None
    rows: list[int] = field(default_factory=list)  # 0-based data rows
    values: list[str] = field(default_factory=list)
    #: File lines (1-based, as an editor numbers them) when the problem is not about data rows.
    lines: list[int] = field(default_factory=list)

    def describe(self, line_of: Callable[[int], int] = lambda row: row + 2) -> str:
        """Where and what, e.g. "column 'weight', row 3 (file line 4): expected ...".

        `line_of` maps a 0-based data row to its file line (blank lines and quoted line breaks
        shift them).
        """
        parts = [f"column {printable(self.column)!r}"] if self.column else []
        if self.rows:
            shown = self.rows[:SHOWN_ROWS]
            rows = ", ".join(str(r + 1) for r in shown)
            lines = ", ".join(str(line_of(r)) for r in shown)
            more = f" and {len(self.rows) - len(shown)} more" if len(self.rows) > len(shown) else ""
            parts.append(f"row{'s' if len(self.rows) > 1 else ''} {rows}{more} (file line{'s' if len(shown) > 1 else ''} {lines})")
        elif self.lines:
            shown = self.lines[:SHOWN_ROWS]
            more = f" and {len(self.lines) - len(shown)} more" if len(self.lines) > len(shown) else ""
            parts.append(f"file line{'s' if len(self.lines) > 1 else ''} {', '.join(map(str, shown))}{more}")
        where = ", ".join(parts) or "file"
        found = ""
        if self.values:
            found = "; found " + ", ".join(repr(v) for v in self.values[:SHOWN_ROWS])
        return f"{where}: {self.message}{found}"


class DataError(ValueError):
    """The microdata file cannot be used; the message names file, column and rows."""

    def __init__(self, path: Path, problems: list[Problem], file_lines=None):
        self.path = Path(path)
        self.problems = problems
        line_of = (lambda row: int(file_lines[row])) if file_lines is not None else (lambda row: row + 2)
        lines = [f"Invalid microdata in {printable(self.path)}:"] + [f"  - {p.describe(line_of)}" for p in problems]
        super().__init__("\n".join(lines))


def load_microdata(path: Path | str | None = None) -> pd.DataFrame:
    """The validated microdata, one row per responding workplace, with typed columns.

    Adds the derived column `innovated_any` (introduced at least one type of innovation).
    Columns outside the codebook are kept out of the result and listed in
    ``frame.attrs["ignored_columns"]``.
    """
    path = Path(path) if path is not None else microdata_path()
    return validated(raw_table(file_bytes(path), path), path)


FILE_KINDS = {
    stat.S_IFDIR: "a directory, not a file: give the path of the CSV file inside it",
    stat.S_IFIFO: "a named pipe (FIFO), not a regular file: save the data to a file and give its path",
    stat.S_IFSOCK: "a socket, not a regular file: save the data to a file and give its path",
    stat.S_IFCHR: "a device, not a regular file: save the data to a file and give its path",
    stat.S_IFBLK: "a device, not a regular file: save the data to a file and give its path",
}


def file_bytes(path: Path) -> bytes:
    """The file's content, or a DataError saying what the path is instead of a readable file.

    A FIFO or device is never opened (reading it would block or never end).
    """
    try:
        kind = stat.S_IFMT(os.stat(path).st_mode)
    except OSError as error:
        raise DataError(path, [Problem(unreachable(path, error))]) from None
    if kind != stat.S_IFREG:
        raise DataError(path, [Problem("the path is " + FILE_KINDS.get(kind, "not a regular file"))])
    try:
        return path.read_bytes()
    except OSError as error:
        raise DataError(path, [Problem(unreachable(path, error))]) from None


def unreachable(path: Path, error: OSError) -> str:
    """Why a path cannot be read, in words, with what to do."""
    if error.errno == errno.ELOOP:
        return "the path is a symbolic link that loops back on itself: point it at the data file itself"
    if error.errno == errno.ENOENT and os.path.islink(path):
        return f"the path is a symbolic link to {printable(os.readlink(path))!r}, which does not exist"
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        return "the file does not exist: check the path (INNOBAROMETER_DATA)"
    if error.errno == errno.EACCES:
        return "permission denied: make the file readable by the user who builds"
    return f"the file cannot be read ({printable(error.strerror)}): check the path"


#: Files that are not text, recognised by their first bytes, and what to do with each.
MAGIC = [
    (b"\x1f\x8b", "the file is gzip-compressed: decompress it first, e.g. 'gunzip -k {name}'"),
    (b"PK\x03\x04", "the file is a zip archive (an Excel .xlsx workbook is one): save the sheet from Excel as 'CSV UTF-8', or unzip the CSV"),
    (b"\xd0\xcf\x11\xe0", "the file is an old Excel workbook (.xls): save the sheet from Excel as 'CSV UTF-8'"),
    (b"BZh", "the file is bzip2-compressed: decompress it first, e.g. 'bunzip2 -k {name}'"),
    (b"\xfd7zXZ\x00", "the file is xz-compressed: decompress it first, e.g. 'unxz -k {name}'"),
]
UTF_BOMS = [
    (codecs.BOM_UTF32_LE, "UTF-32LE"),
    (codecs.BOM_UTF32_BE, "UTF-32BE"),
    (codecs.BOM_UTF16_LE, "UTF-16LE"),
    (codecs.BOM_UTF16_BE, "UTF-16BE"),
]
SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs"}
#: A letter written in UTF-8 with two or more bytes (a lead byte and continuation bytes).
UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
#: The line breaks an editor counts (str.splitlines also breaks at form feeds and more).
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def raw_table(data: bytes, path: Path) -> pd.DataFrame:
    """The file's bytes as a table of strings (spaces around values removed).

    ``attrs["separator"]`` is the column separator; ``attrs["file_lines"]`` gives each data row's
    line in the file as an editor numbers it.
    """
    text = decoded(data, path)
    lines = LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()  # the final line break ends the last line; it does not start another
    first = 0
    while first < len(lines) and not lines[first].strip():
        first += 1
    if first == len(lines):
        what = "holds only a byte order mark (BOM)" if data.startswith(codecs.BOM_UTF8) else "is empty"
        message = f"the file {what}: it needs a header line naming the columns of data/codebook/columns.csv, then one row per workplace"
        raise DataError(path, [Problem(message)])
    declared = re.fullmatch(r"\s*sep=(.)\s*", lines[first])
    if declared:  # Excel's hint line, e.g. "sep=;"
        separator = declared.group(1)
        first += 1
    else:
        separator = sniffed_separator(lines[first])
    records, file_lines = parsed_records(lines, first, separator, path)
    header = [name.strip(" \t") for name in records[0]]
    check_header(header, file_lines[0], separator, path)
    check_field_counts(records, file_lines, header, separator, path)
    if len(records) == 1:
        raise DataError(path, [Problem("the file has a header but no rows", lines=[file_lines[0]])])
    table = pd.DataFrame(records[1:], columns=header, dtype="str").apply(lambda column: column.str.strip(" \t"))
    table.attrs["separator"] = separator
    table.attrs["encoding"] = encoding_of(data)
    table.attrs["header_line"] = file_lines[0]
    # An array, not a list: pandas deep-copies attrs on every operation.
    table.attrs["file_lines"] = np.asarray(file_lines[1:])
    return table


def decoded(data: bytes, path: Path) -> str:
    """The text of a UTF-8 (with or without a BOM) or Windows-1252 file, or a DataError naming what
    the bytes are and how to convert them (`encoding_of` names which of the two it read)."""
    name = shlex.quote(printable(path.name))
    for magic, message in MAGIC:
        if data.startswith(magic):
            raise DataError(path, [Problem(message.format(name=name))])
    for bom, encoding in UTF_BOMS:
        if data.startswith(bom):
            raise DataError(path, [Problem(f"the file is {encoding} (it starts with a {encoding} byte order mark); " + convert(encoding, name))])
    if len(data) >= 4 and data[1::2].count(0) > len(data) // 4 and 0 not in data[::2][:2]:
        raise DataError(path, [Problem("the file looks like UTF-16LE without a byte order mark (every other byte is 0); " + convert("UTF-16LE", name))])
    if len(data) >= 4 and data[0::2].count(0) > len(data) // 4 and 0 not in data[1::2][:2]:
        raise DataError(path, [Problem("the file looks like UTF-16BE without a byte order mark (every other byte is 0); " + convert("UTF-16BE", name))])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        utf8_error = error
    line = data[: utf8_error.start].count(b"\n") + 1
    if UTF8_SEQUENCE.search(data):
        message = (
            f"the file mixes UTF-8 with another encoding (byte 0x{data[utf8_error.start]:02x} is not UTF-8, other letters are): "
            "save it again from the spreadsheet as 'CSV UTF-8'"
        )
        raise DataError(path, [Problem(message, lines=[line])])
    try:
        # What Danish Excel writes as "CSV (semikolonsepareret)"; Latin-1 text reads the same,
        # since the two differ only in bytes 0x80-0x9f, control codes in Latin-1.
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = f"the file is neither UTF-8 nor Windows-1252 (byte 0x{data[error.start]:02x} is in neither); " + convert("the file's encoding", name)
        raise DataError(path, [Problem(message, lines=[line])]) from None


def encoding_of(data: bytes) -> str:
    """The encoding `decoded` read a file's bytes with, in words."""
    if data.startswith(codecs.BOM_UTF8):
        return "UTF-8 with a byte order mark"
    try:
        data.decode("utf-8")
        return "UTF-8"
    except UnicodeDecodeError:
        return "Windows-1252"


def convert(encoding: str, name: str) -> str:
    stem = name.removesuffix(".csv").removesuffix(".txt")
    known = encoding.upper() if " " not in encoding else "ENCODING"
    return f"save it as UTF-8, e.g. 'iconv -f {known} -t UTF-8 {name} > {stem}-utf8.csv'"


def sniffed_separator(header: str) -> str:
    """The separator that splits the header into the most codebook columns (then: most fields)."""
    known = set(codebook.columns())

    def score(separator):
        names = [n.strip(" \t\"") for n in header.split(separator)]
        return sum(n in known for n in names), len(names)

    return max(SEPARATORS, key=score)


def parsed_records(lines: list[str], first: int, separator: str, path: Path) -> tuple[list[list[str]], list[int]]:
    """The CSV records from line `first` on, and the file line each starts on; blank lines skipped."""
    reader = csv.reader((line + "\n" for line in lines[first:]), delimiter=separator, strict=True)
    records, starts = [], []
    while True:
        start = first + reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            message = f"the file is not a well-formed CSV table ({error}); a value with {SEPARATORS.get(separator, separator)}, quotes or line breaks must be quoted, quotes inside doubled"
            raise DataError(path, [Problem(message, lines=[start])]) from None
        if len(record) > 1 or (record and record[0].strip()):  # not a blank line
            records.append(record)
            starts.append(start)
    return records, starts


def check_header(header: list[str], line: int, separator: str, path: Path) -> None:
    """Header problems: columns without a name or named twice, no codebook column at all."""
    problems = []
    known = set(codebook.columns())
    if not known & set(header):
        names = ", ".join(printable(n) for n in header[:SHOWN_ROWS])
        problems.append(
            Problem(
                f"the header names none of the columns of data/codebook/columns.csv (read with {SEPARATORS.get(separator, repr(separator))} "
                f"as separator: {names}); the first line must be the header, its names separated by commas, semicolons or tabs",
                lines=[line],
            )
        )
    unnamed = [i + 1 for i, name in enumerate(header) if not name]
    if unnamed and unnamed == [len(header)]:
        problems.append(Problem(f"the header ends with a separator, which makes an unnamed last column: remove the final {printable(separator)!r}", lines=[line]))
    elif unnamed:
        problems.append(Problem(f"header field{'s' if len(unnamed) > 1 else ''} {', '.join(map(str, unnamed))} {'have' if len(unnamed) > 1 else 'has'} no column name", lines=[line]))
    for name in dict.fromkeys(n for n in header if n and header.count(n) > 1):
        positions = [i + 1 for i, n in enumerate(header) if n == name]
        problems.append(
            Problem(f"the column is named {len(positions)} times in the header (fields {', '.join(map(str, positions))}): keep one", column=name, lines=[line])
        )
    if problems:
        raise DataError(path, problems)


def check_field_counts(records: list[list[str]], file_lines: list[int], header: list[str], separator: str, path: Path) -> None:
    """Rows with more or fewer fields than the header, a trailing separator named as such."""
    trailing, other = [], []
    for row, record in enumerate(records[1:]):
        if len(record) > len(header) and not any(field.strip() for field in record[len(header):]):
            trailing.append(row)
        elif len(record) != len(header):
            other.append(row)
    problems = []
    if trailing:
        problems.append(
            Problem(
                f"the row ends with a separator after its last value (more fields than the {len(header)} columns of the header): remove the final {printable(separator)!r} from these lines",
                rows=trailing,
            )
        )
    if other:
        counts = sorted({len(records[r + 1]) for r in other})
        problems.append(
            Problem(
                f"the row has {' or '.join(map(str, counts))} fields, the header {len(header)}: a value holding the separator {printable(separator)!r} must be quoted, and every row needs a field for every column",
                rows=other,
            )
        )
    if problems:
        raise DataError(path, problems, file_lines[1:])


def validated(raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    schema = codebook.columns()
    missing = [name for name, col in schema.items() if col.required and name not in raw.columns]
    if missing:
        header_line = raw.attrs.get("header_line", 1)
        raise DataError(
            path,
            [
                Problem("required column missing from the header (expected by data/codebook/columns.csv): add it", column=name, lines=[header_line])
                for name in missing
            ],
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
        raise DataError(path, problems, raw.attrs.get("file_lines"))
    frame["innovated_any"] = innovated_any(frame).astype("Int8")  # derived: at least one type
    frame.attrs["ignored_columns"] = [c for c in raw.columns if c not in schema]
    frame.attrs["path"] = str(path)
    frame.attrs["encoding"] = raw.attrs.get("encoding", "UTF-8")
    frame.attrs["separator"] = raw.attrs.get("separator", ",")
    return frame


def reading_summary(frame: pd.DataFrame) -> str:
    """What was read, in one line: the file, its rows, its encoding and its separator."""
    path = Path(frame.attrs["path"])
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    separator = SEPARATORS.get(frame.attrs["separator"], repr(frame.attrs["separator"]))
    return f"{printable(shown)}: {len(frame):,} rows ({frame.attrs['encoding']}, separated by {separator})"


def rows_where(mask: pd.Series) -> list[int]:
    return [int(i) for i in mask[mask].index]


def parse_id(values: pd.Series, name: str, separator: str):
    problems = []
    empty = values == ""
    if empty.any():
        problems.append(Problem("an id is required", name, rows_where(empty)))
    invisible = values.map(lambda v: not v.isprintable())
    if invisible.any():
        rows = rows_where(invisible)
        message = "an id must not contain control characters or line breaks (invisible, they make different ids look alike): remove them"
        problems.append(Problem(message, name, rows, [values[r] for r in rows]))
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


#: A weight above this many times the median weight is implausible: that one workplace would
#: stand for a large share of the population and dominate every estimate.
MAX_WEIGHT_TO_MEDIAN = 100
#: A point followed by groups of three digits: the Danish thousands separator (1.234 = 1234).
THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")


def parse_weight(values: pd.Series, name: str, separator: str):
    numbers, problems = decimal_numbers(values, name, separator)
    if problems:
        return numbers, problems
    bad = ~(numbers > 0)
    if bad.any():
        rows = rows_where(bad)
        return numbers, [Problem("expected a positive number", name, rows, [values[r] for r in rows])]
    return numbers, implausible_weights(numbers, values, name)


def decimal_numbers(values: pd.Series, name: str, separator: str):
    """Finite numbers, read with the file's decimal mark, and the values that are not one.

    A file separated by semicolons or tabs (a Danish export) may write decimal commas; a point
    there may be a thousands separator, so "1.234" is ambiguous and not guessed.
    """
    decimal_comma = separator != "," and values.str.contains(",", regex=False).any()
    if separator == ",":
        ambiguous = values.str.contains(",", regex=False)
        convention = "a comma-separated file writes decimals with a point"
    elif decimal_comma:
        ambiguous = values.str.contains(".", regex=False)
        convention = "this file writes decimal commas, so a point reads as a Danish thousands separator"
    else:
        ambiguous = values.str.fullmatch(THOUSANDS)
        convention = "in a Danish export a point may be a thousands separator"
    text = values.str.replace(",", ".", regex=False) if decimal_comma else values
    numbers = pd.to_numeric(text.where(~ambiguous, ""), errors="coerce").astype(float)
    not_number = ~ambiguous & ~numbers.map(math.isfinite)
    problems = []
    if ambiguous.any():
        rows = rows_where(ambiguous)
        mark = "a comma" if separator != "," else "a point"
        message = (
            f"ambiguous number: {convention}; write numbers without thousands separators and with {mark} as decimal mark"
        )
        problems.append(Problem(message, name, rows, [values[r] for r in rows]))
    if not_number.any():
        rows = rows_where(not_number)
        problems.append(Problem("expected a positive number", name, rows, [values[r] for r in rows]))
    return numbers, problems


def implausible_weights(numbers: pd.Series, values: pd.Series, name: str) -> list[Problem]:
    """Weights that sum to more than a float holds, or one workplace outweighing the rest."""
    if not math.isfinite(sum(numbers.tolist())):  # plain floats: an overflow gives inf without a warning
        rows = rows_where(numbers >= numbers.nlargest(SHOWN_ROWS).min())
        message = "the weights sum to more than a computer number can hold (overflow): check these weights' values and units"
        return [Problem(message, name, rows, [values[r] for r in rows])]
    median = numbers.median()
    heavy = numbers > MAX_WEIGHT_TO_MEDIAN * median
    if heavy.any():
        rows = rows_where(heavy)
        share = numbers[heavy].max() / numbers.sum()
        message = (
            f"implausible weight: more than {MAX_WEIGHT_TO_MEDIAN} times the median weight ({median:g}); one workplace "
            f"would stand for up to {share:.0%} of the population and dominate every share: check the value (decimal mark, units)"
        )
        return [Problem(message, name, rows, [values[r] for r in rows])]
    return []


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
    """Breaks of the design columns' rules: a population needs strata, is constant within one and
    is at least the stratum's number of respondents. (A stratum of one respondent is valid: the
    estimates' lonely-stratum rule handles it, innobarometer.estimates.estimate.)"""
    problems = []
    if "stratum_population" not in frame.columns:
        return problems
    if "stratum" not in frame.columns:
        return [Problem("needs the column 'stratum' (the strata the population counts refer to)", "stratum_population")]
    groups = frame.groupby("stratum")["stratum_population"]
    varying = groups.transform("nunique") > 1
    if varying.any():
        problems.append(Problem("must be the same in every row of a stratum", "stratum_population", rows_where(varying)))
    too_small = frame["stratum_population"] < groups.transform("size")
    if too_small.any():
        problems.append(Problem("is smaller than the stratum's number of respondents", "stratum_population", rows_where(too_small)))
    return problems


#: How far a stratum's sum of weights may lie from its stratum_population, relative to the
#: population, and still count as adding up to it (weights written rounded leave a little): 1 %.
WEIGHT_SUM_TOLERANCE = 0.01
#: How many disagreeing strata the warning names; the rest it counts.
SHOWN_STRATA = 5


@dataclass(frozen=True)
class StratumWeights:
    """A stratum's sum of weights beside the number of workplaces its population holds."""

    stratum: str
    weight_sum: float
    population: int

    @property
    def ratio(self) -> float:
        return self.weight_sum / self.population

    @property
    def agrees(self) -> bool:
        """Whether the weights add up to the population, within WEIGHT_SUM_TOLERANCE."""
        return abs(self.weight_sum - self.population) <= WEIGHT_SUM_TOLERANCE * self.population


@dataclass(frozen=True)
class WeightSums:
    """Every stratum's weights beside its population: expansion weights add up to it in each."""

    strata: list[StratumWeights]

    @property
    def mismatches(self) -> list[StratumWeights]:
        """The strata whose weights do not add up to their population, the farthest off first
        (by name among those equally far off, to the tolerance's precision)."""
        off = [s for s in self.strata if not s.agrees]
        return sorted(off, key=lambda s: (-round(abs(s.ratio - 1) / WEIGHT_SUM_TOLERANCE), s.stratum))

    @property
    def weight_total(self) -> float:
        return sum(s.weight_sum for s in self.strata)

    @property
    def population_total(self) -> int:
        return sum(s.population for s in self.strata)

    @property
    def same_scale(self) -> bool:
        """Whether every stratum's weights are the same multiple of its population (within the
        tolerance): then the strata keep their proportions and only totals are off."""
        ratios = [s.ratio for s in self.strata]
        return max(ratios) <= (1 + WEIGHT_SUM_TOLERANCE) * min(ratios)


def weight_sums(frame: pd.DataFrame) -> WeightSums | None:
    """Each stratum's sum of weights and its stratum_population, or None when the file has no
    stratum_population (then nothing says what the weights should add up to)."""
    if "stratum" not in frame.columns or "stratum_population" not in frame.columns:
        return None
    groups = frame.groupby("stratum", sort=True).agg(weight_sum=("weight", "sum"), population=("stratum_population", "first"))
    return WeightSums([StratumWeights(str(name), float(row.weight_sum), int(row.population)) for name, row in groups.iterrows()])


def amount(x: float) -> str:
    """A sum of weights for the terminal: whole from 100 on (6,054), else four digits (0.25, 37.5)."""
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.4g}"


def weight_sum_warning(frame: pd.DataFrame) -> str | None:
    """One line saying which strata's weights do not add up to their stratum_population, and what
    that means; None when they all do or the file gives no population. A warning, not a
    problem: the file stays valid."""
    sums = weight_sums(frame)
    if sums is None or not sums.mismatches:
        return None
    off = sums.mismatches
    # repr quotes a stratum and escapes what is invisible; printable vouches for the terminal.
    named = ", ".join(
        f"{printable(repr(s.stratum))} (weights sum to {amount(s.weight_sum)}, stratum_population {s.population:,})" for s in off[:SHOWN_STRATA]
    )
    more = f" and {len(off) - SHOWN_STRATA} more" if len(off) > SHOWN_STRATA else ""
    count = len(sums.strata)
    if len(off) == count:
        where = "the file's only stratum" if count == 1 else f"all {count} strata"
    else:
        where = f"{len(off)} of {count} strata"
    line = (
        f"Warning: the weights do not add up to stratum_population (by more than {WEIGHT_SUM_TOLERANCE:.0%}) in "
        f"{where}: {named}{more}; over the file the weights sum to {amount(sums.weight_total)} "
        f"while the strata's stratum_population sum to {sums.population_total:,}. The file is valid and shares do not depend "
        "on the weights' scale, but these are not expansion weights, so totals (numbers of workplaces) computed from them would be wrong."
    )
    if not sums.same_scale:
        ratios = [s.ratio for s in sums.strata]
        line += (
            f" The weights are also a different multiple of the population from stratum to stratum ({min(ratios):.2g} to "
            f"{max(ratios):.2g} times), so the strata do not weigh in proportion to their populations, which changes shares too: check the weights."
        )
    return line


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
    from innobarometer.estimates import disclosure

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
    print(f"{printable(frame.attrs['path'])}: {len(frame)} rows valid against data/codebook/.")
    if frame.attrs["ignored_columns"]:
        print("Columns not in the codebook, ignored: " + ", ".join(map(printable, frame.attrs["ignored_columns"])))
    warning = weight_sum_warning(frame)
    if warning:
        print(warning)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
