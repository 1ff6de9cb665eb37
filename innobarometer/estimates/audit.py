"""The audit before publishing: every file about to leave the build, checked against the
disclosure record.

The notebooks never estimate a suppressed cell and empty the answer counts of every suppressed
row they show (`disclosure_record`), so nothing should be found; this is the check that nothing
slipped through, in any file of the site that is written from the book (pages, notebooks and
their downloads, CSV files and the CSV inside a figure's download link, SVG, the search index,
`_sources/`, the text of the PDFs; not the copied assets of `_static/`) and in the statistics file. What counts as a leak of a suppressed cell:

- its weighted share written with at least PRECISE_DIGITS significant digits, as a fraction or a
  per cent, anywhere (the full precision of JSON, CSV and Python's own numbers);
- a row that names the cell by its id (a CSV row, an HTML table row, a JSON object, a line of a
  printed table) and carries a number other than the cell's respondents: its answer counts, its
  share or anything else estimated from it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from innobarometer.text.escape import printable

#: Significant digits from which a number is taken to be a computed value rather than a rounded
#: one that could equal a suppressed share by chance.
PRECISE_DIGITS = 7
#: Files whose content is not text: fonts and raster images.
#: Files not read. The source archive (kildekode.zip) holds the site's inputs, which no notebook
#: writes: what a page or notebook says is audited where it is rendered, and the published facts'
#: rows name cells with the public record's numbers.
BINARY = {".woff", ".woff2", ".ttf", ".eot", ".png", ".jpg", ".jpeg", ".gif", ".ico", ".mo", ".inv", ".pickle", ".doctree", ".zip"}
#: The folders of copied assets (the theme's, Sphinx's, vega and the book's own scripts): written
#: by no notebook, they hold numbers that any share could equal (a CSS width of 66.66666667%).
STATIC = "_static"
NUMBER = re.compile(r"(?<![\w.])[-−]?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?(?![\w])")
DATA_CSV = re.compile(r"data:text/csv[^,\"']*,([^\"'\s>]+)")
TABLE_ROW = re.compile(r"<tr\b.*?</tr>", re.DOTALL | re.IGNORECASE)
TABLE_CELL = re.compile(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", re.DOTALL | re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")
#: A table cell that holds a number: a count, a share in per cent, an interval, a difference.
NUMERIC_FIELD = re.compile(r"[-−+]?\d[\d.,\u00a0\u202f ]*(?:[–-]\s*\d[\d.,\u00a0\u202f ]*)?\s*(?:%|pct\.-point|percentage points?)?\*?")
SEPARATORS = re.compile(r"[.,\s\u00a0\u202f]")


@dataclass(frozen=True)
class Secret:
    """A suppressed cell: what may be shown of it (its id and respondents) and what may not."""

    id: str
    n: int
    share: float


@dataclass(frozen=True)
class Leak:
    file: str
    cell: str
    what: str

    def __str__(self) -> str:
        return f"{printable(self.file)}: {self.cell}: {printable(self.what)}"


class Record:
    """The suppressed cells, and every cell's id (to resolve an id a printed table shortened)."""

    def __init__(self, cells: pd.DataFrame):
        hidden = cells[cells["suppressed"].astype(bool) & (cells["n"] > 0)]
        self.secrets = {row.id: Secret(row.id, int(row.n), float(row.share)) for row in hidden.itertuples()}
        self.ids = list(cells["id"])
        self.respondents = dict(zip(cells["id"], cells["n"]))
        # The secrets whose share can be told by its precision: not one written in fewer than
        # PRECISE_DIGITS digits (0, 1/2, 1), nor one a published cell has too (2/3 of 3 and of 9).
        shown = cells.loc[~cells["id"].isin(self.secrets), "share"].dropna().to_numpy()
        self.precise = [
            s for s in self.secrets.values()
            if float(f"{s.share:.{PRECISE_DIGITS - 1}g}") != s.share and not (abs(shown - s.share) <= 1e-9).any()
        ]

    def named(self, field: str) -> Secret | None:
        """The secret a table cell names: its id in full, or shortened with '...' to a prefix of it alone."""
        field = field.strip()
        if field in self.secrets:
            return self.secrets[field]
        if field.endswith("...") and len(field) > 10:
            matches = [i for i in self.ids if i.startswith(field[:-3])]
            if len(matches) == 1 and matches[0] in self.secrets:
                return self.secrets[matches[0]]
        return None


def scan(site: Path, record: Record, extra: dict[str, str] | None = None) -> list[Leak]:
    """Every leak in the files under `site` and in `extra` ({name: text}, e.g. the statistics file)."""
    if not record.secrets:
        return []
    found = []
    texts = dict(extra or {})
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        name = path.relative_to(site).as_posix()
        if STATIC in path.relative_to(site).parts:
            continue
        if path.suffix.lower() == ".pdf":
            texts[name] = pdf_text(path)
        elif path.suffix.lower() not in BINARY:
            texts[name] = path.read_bytes().decode("utf-8", errors="replace")
    for name, text in texts.items():
        found += leaks_in(name, text, record)
    return list(dict.fromkeys(found))


def pdf_text(path: Path) -> str:
    """A PDF's text, as poppler's pdftotext extracts it."""
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True)
    if result.returncode != 0:
        raise RuntimeError(f"pdftotext could not read {printable(path)}: {printable(result.stderr.decode(errors='replace').strip())}")
    return result.stdout.decode("utf-8", errors="replace")


def leaks_in(name: str, text: str, record: Record) -> list[Leak]:
    found = precise_shares(name, text, record)
    csv_texts = [urllib.parse.unquote(m.group(1)) for m in DATA_CSV.finditer(text)]
    if name.endswith(".csv"):
        csv_texts.append(text)
    for table in csv_texts:
        found += rows_with_numbers(name, csv_rows(table), record)
    found += rows_with_numbers(name, html_rows(text), record)
    found += rows_with_numbers(name, printed_rows(text, record), record)
    if name.endswith((".ipynb", ".json")):
        found += json_leaks(name, text, record)
    return found


def precise_shares(name: str, text: str, record: Record) -> list[Leak]:
    """A suppressed share written with PRECISE_DIGITS significant digits or more."""
    found = []
    for match in NUMBER.finditer(text):
        written = match.group().replace("−", "-").replace(",", ".")
        mantissa = written.split("e")[0].split("E")[0].lstrip("-").replace(".", "").lstrip("0")
        if len(mantissa) < PRECISE_DIGITS:
            continue
        value = float(written)
        unit = 10.0 ** (_exponent(written) - len(mantissa) + 1)
        for secret in record.precise:
            for scale in (1, 100):
                # one unit of the last digit written, or rounding error in the last bits of a float
                if abs(value - secret.share * scale) <= max(unit, 1e-9 * scale):
                    found.append(Leak(name, secret.id, f"its share written as {match.group()}"))
    return found


def _exponent(written: str) -> int:
    """The power of ten of a number's first significant digit."""
    import math

    value = abs(float(written))
    return math.floor(math.log10(value)) if value else 0


def csv_rows(text: str) -> list[list[str]]:
    lines = text.splitlines()
    delimiter = ";" if lines and lines[0].count(";") > lines[0].count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def html_rows(text: str) -> list[list[str]]:
    return [[TAG.sub("", cell).strip() for cell in TABLE_CELL.findall(row)] for row in TABLE_ROW.findall(text)]


def printed_rows(text: str, record: Record) -> list[list[str]]:
    """Lines of a printed table (a DataFrame's text) that begin with a suppressed cell's id."""
    rows = []
    for line in re.split(r"\\n|\n", text):
        fields = line.replace('\\"', '"').strip().strip('"').split()
        if fields and record.named(fields[0]):
            rows.append(fields)
    return rows


def rows_with_numbers(name: str, rows: list[list[str]], record: Record) -> list[Leak]:
    """Rows that name a suppressed cell and carry a number besides its respondents (once)."""
    found = []
    for row in rows:
        named = [record.named(field) for field in row]
        secrets = {s.id: s for s in named if s}
        if len(secrets) != 1:
            continue  # a row naming no cell, or several, is not one cell's row
        secret = next(iter(secrets.values()))
        numbers = [field.strip() for field, s in zip(row, named) if not s and NUMERIC_FIELD.fullmatch(field.strip())]
        extra = list(numbers)
        respondents = [field for field in numbers if SEPARATORS.sub("", field) == str(secret.n)]
        if respondents:
            extra.remove(respondents[0])  # its n is published, once
        if extra:
            found.append(Leak(name, secret.id, f"a row naming it shows {', '.join(extra)}"))
    return found


def json_leaks(name: str, text: str, record: Record) -> list[Leak]:
    """JSON objects that name a suppressed cell and hold a number other than its respondents;
    and the texts inside the JSON (a notebook's outputs) read as text."""
    try:
        document = json.loads(text)
    except ValueError:
        return []
    found = []

    def walk(node):
        if isinstance(node, dict):
            secret = next((record.named(v) for v in node.values() if isinstance(v, str) and record.named(v)), None)
            if secret:
                numbers = [v for v in node.values() if isinstance(v, (int, float)) and not isinstance(v, bool) and v == v]
                extra = [v for v in numbers if v != secret.n] + [v for v in numbers if v == secret.n][1:]
                if extra:
                    found.append(Leak(name, secret.id, f"an object naming it holds {', '.join(map(str, extra))}"))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            if node and all(isinstance(v, str) for v in node):
                joined = "".join(node)  # a notebook's multi-line text
                found.extend(rows_with_numbers(name, html_rows(joined), record))
                found.extend(rows_with_numbers(name, printed_rows(joined, record), record))
            for value in node:
                walk(value)

    walk(document)
    return found
