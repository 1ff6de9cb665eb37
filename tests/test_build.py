"""The build: bad input stops it with the cause named and the last good site kept; other valid
data (a Danish spreadsheet export with a hostile name, tests/other_files.py) changes every number
and shows the name as text; a clean and an incremental build publish the same bytes."""

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import published_files, run_build
from html_pages import parse_page, visible_text
from innobarometer import audit, build
from innobarometer.estimate import weighted_share
from innobarometer.formatting import percent
from innobarometer.microdata import load_microdata
from innobarometer.paths import PDF_NAME, ROOT, SYNTHETIC_MICRODATA
from innobarometer.statistics import read
from other_files import HOSTILE_NAME

pytestmark = pytest.mark.book


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


def synthetic_table() -> pd.DataFrame:
    return pd.read_csv(SYNTHETIC_MICRODATA, dtype=str, keep_default_na=False)


def first_row(table: pd.DataFrame, **conditions) -> int:
    mask = pd.Series(True, index=table.index)
    for column, value in conditions.items():
        mask &= table[column] == value
    return int(mask.idxmax())


def corrupted(tmp_path: Path, change) -> tuple[Path, int | None]:
    """The synthetic data with one change; returns the file and the changed data row (0-based)."""
    table = synthetic_table()
    row = change(table)
    path = tmp_path / "corrupted.csv"
    table.to_csv(path, index=False)
    return path, row


def set_value(column, value, **conditions):
    def change(table):
        row = first_row(table, **conditions) if conditions else 4
        table.loc[row, column] = value
        return row

    return change


def drop_column(column):
    def change(table):
        del table[column]

    return change


CORRUPTIONS = {
    "missing column": (drop_column("latest_quality"), "latest_quality"),
    "wrong type in a 0/1 field": (set_value("innovated_service", "ja"), "innovated_service"),
    "0/1 field holding 2": (set_value("innovated_product", "2"), "innovated_product"),
    "unknown sector": (set_value("sector", "kommun"), "sector"),
    "zero weight": (set_value("weight", "0"), "weight"),
    "negative weight": (set_value("weight", "-3.2"), "weight"),
    "missing weight": (set_value("weight", ""), "weight"),
    "duplicated id": (set_value("respondent_id", "W00001"), "respondent_id"),
    "latest type not introduced": (set_value("latest_service", "1", innovated_service="0", latest_process="1"), "latest_service"),
    "innovator without quality answer": (set_value("latest_quality", "", latest_process="1"), "latest_quality"),
}


@pytest.fixture(scope="module")
def site_before():
    if not (build.SITE / "index.html").exists():
        pytest.fail("no built book: run `make book` first (make test does)")
    return tree_digest(build.SITE), build.STATISTICS.read_bytes()


@pytest.mark.parametrize("corruption", CORRUPTIONS, ids=list(CORRUPTIONS))
def test_corrupted_microdata_stops_the_build_naming_file_column_and_row(tmp_path, site_before, corruption):
    change, column = CORRUPTIONS[corruption]
    path, row = corrupted(tmp_path, change)
    result = run_build(ROOT, path)
    assert result.returncode != 0
    assert str(path) in result.stderr and f"column '{column}'" in result.stderr
    if row is not None:
        assert re.search(rf"file lines? [\d, ]*\b{row + 2}\b", result.stderr)
    assert "left as it was" in result.stderr
    assert (tree_digest(build.SITE), build.STATISTICS.read_bytes()) == site_before


UNREADABLE = [
    ("empty", b"", "the file is empty"),
    ("header only", SYNTHETIC_MICRODATA.read_bytes().splitlines(keepends=True)[0], "header but no rows"),
    ("neither UTF-8 nor Windows-1252", SYNTHETIC_MICRODATA.read_bytes().replace(b"W00007", b"W\x8100007"), "neither UTF-8 nor Windows-1252"),
    ("only a BOM", b"\xef\xbb\xbf\n", "only a byte order mark"),
    ("UTF-16", SYNTHETIC_MICRODATA.read_text(encoding="utf-8").encode("utf-16"), "iconv -f UTF-16LE"),
    ("trailing separator", SYNTHETIC_MICRODATA.read_bytes().replace(b"\n", b",\n").replace(b",\n", b"\n", 1), "ends with a separator"),
]


@pytest.mark.parametrize("name, content, message", UNREADABLE, ids=[name for name, *_ in UNREADABLE])
def test_unreadable_microdata_stops_the_build_with_the_reason(tmp_path, site_before, name, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = run_build(ROOT, path)
    assert result.returncode == 1 and str(path) in result.stderr and message in result.stderr
    assert "left as it was" in result.stderr and "Traceback" not in result.stdout + result.stderr
    assert (tree_digest(build.SITE), build.STATISTICS.read_bytes()) == site_before


def test_symlink_loop_as_data_stops_the_build_with_the_reason(tmp_path, site_before):
    (tmp_path / "a.csv").symlink_to(tmp_path / "b.csv")
    (tmp_path / "b.csv").symlink_to(tmp_path / "a.csv")
    result = run_build(ROOT, tmp_path / "a.csv")
    assert result.returncode == 1 and "symbolic link that loops" in result.stderr and "Traceback" not in result.stderr
    assert (tree_digest(build.SITE), build.STATISTICS.read_bytes()) == site_before


def test_other_data_builds_and_changes_every_number(other_book):
    copy, data, _, _, _ = other_book
    stats = read(copy / "_build" / "statistics.csv")
    frame = load_microdata(data)
    for t in ["process", "service", "communication", "product", "any"]:
        expected = weighted_share(frame, f"innovated_{t}")["value"]
        assert stats.loc[f"workplaces_innovated_{t}", "value"] == pytest.approx(expected, abs=1e-9)
    assert (stats["source"] == f"microdata:{HOSTILE_NAME}").all()
    headline = percent(stats.loc["workplaces_innovated_process", "value"])
    assert headline != percent(0.70)  # not the published figure: another file's truth
    page = visible_text(copy / "_build" / "html" / "book" / "organiser-smartere.html")
    assert f"{headline} af de offentlige arbejdspladser" in page and "syntetisk datasæt" not in page


def test_the_build_says_in_one_line_what_it_read(other_book):
    *_, output = other_book
    assert f"{HOSTILE_NAME}: 1,193 rows (Windows-1252, separated by semicolons)" in output


def test_the_build_prints_a_line_per_step_and_no_more_than_40(other_book):
    *_, output = other_book
    lines = output.splitlines()
    assert len(lines) <= 40
    for step in ["validate", "execute", "editions", "publish"]:
        assert any(line.startswith(step) and line.endswith(" s") for line in lines), step
    assert not [line for line in lines if "WARNING" in line or "Traceback" in line]


def test_hostile_data_file_name_is_shown_as_text_and_never_runs(other_book):
    copy, *_ = other_book
    site = copy / "_build" / "html"
    pages = sorted(site.rglob("*.html"))
    assert pages and not any("<img src=x" in page.read_text(encoding="utf-8") for page in pages)
    assert not any("x" in parse_page(page).requests for page in pages)
    shown = sorted(page.name for page in pages if HOSTILE_NAME in visible_text(page))
    assert {"figur-a.html", "figur-b.html", "organiser-smartere.html"} <= set(shown)  # the data notes at least
    assert not [page.name for page in pages if re.search(r"[»«“”‘’]dq|dq[’‘]sq", visible_text(page))]  # no smart quotes in it
    pdf = subprocess.run(["pdftotext", str(site / PDF_NAME), "-"], capture_output=True, text=True).stdout
    assert "^\"dq'sq.csv" in pdf  # the data note prints it as it is, in code type
    assert not re.search(r"eksport[‘’]|[“”]dq|dq[‘’]sq", pdf)  # nor do the captions' pasted sources curl its quotes


def test_pages_carry_the_date_of_their_inputs_not_of_the_day_they_were_built(other_book):
    copy, *_ = other_book  # built with SOURCE_DATE_EPOCH at the first of January 2000
    assert "Sidst opdateret 1. januar 2000" in visible_text(copy / "_build" / "html" / "book" / "organiser-smartere.html")


def build_with_edit(other_book, relative: str, old: str, new: str) -> tuple[subprocess.CompletedProcess, bool]:
    """Build the copy with one file edited (restored afterwards); also whether its site was kept."""
    copy, data, environment, _, _ = other_book
    path = copy / relative
    original = path.read_text(encoding="utf-8")
    before = tree_digest(copy / "_build" / "html")
    path.write_text(original.replace(old, new, 1), encoding="utf-8")
    try:
        result = run_build(copy, data, environment)
    finally:
        path.write_text(original, encoding="utf-8")
    return result, tree_digest(copy / "_build" / "html") == before


def test_broken_published_fact_stops_the_build_and_keeps_the_site(other_book):
    result, kept = build_with_edit(other_book, "data/published/facts.csv", "https://innovationsbarometer.coi.dk/lav-nye-services/", "")
    assert result.returncode != 0 and "facts.csv: column 'source_url', row 2" in result.stderr
    assert kept


def test_notebook_that_raises_stops_the_build_with_the_cause_and_keeps_the_site(other_book):
    failing = "workplaces = load_microdata()\nraise RuntimeError('deliberate failure in the test')"
    result, kept = build_with_edit(other_book, "notebooks/figur-b.md", "workplaces = load_microdata()", failing)
    assert result.returncode != 0
    assert "deliberate failure in the test" in result.stdout + result.stderr
    assert "jupyter_book" not in result.stdout + result.stderr  # stopped before Sphinx, no framework traceback
    assert kept


def test_a_suppressed_share_planted_in_a_page_stops_the_build_naming_file_and_cell(other_book):
    _, data, *_ = other_book
    secret = audit.record_from(load_microdata(data)).precise[0]
    sentence = "Kapitlets statistik er beregnet fra data."
    result, kept = build_with_edit(other_book, "book/verifikation.md", sentence, f"{sentence[:-1]} ({secret.share!r}).")
    assert result.returncode != 0
    assert "book/verifikation.html" in result.stderr and secret.id in result.stderr, result.stderr[-3000:]
    assert kept


def test_incremental_and_clean_builds_publish_identical_bytes(other_book):
    """The copy was built into an empty _build/, then failed three times (a broken fact, a failing
    notebook, a planted leak): its next, incremental build must publish the same bytes, PDFs included."""
    copy, data, environment, clean, _ = other_book
    (copy / "_build" / "published-inputs.sha256").unlink(missing_ok=True)  # else nothing would be built
    result = run_build(copy, data, environment)
    assert result.returncode == 0, result.stderr[-3000:]
    incremental = published_files(copy / "_build" / "html")
    assert not [name for name in incremental if name.endswith(".err.log")]
    assert incremental == clean


def test_a_build_with_nothing_changed_says_so_and_keeps_the_published_site(other_book):
    copy, data, environment, _, _ = other_book
    assert run_build(copy, data, environment).returncode == 0
    published = (copy / "_build" / "html").resolve()
    result = run_build(copy, data, environment)
    assert result.returncode == 0 and "Nothing changed" in result.stdout
    assert (copy / "_build" / "html").resolve() == published


def test_verification_fails_when_the_data_does_not_reproduce_the_published_figures(other_book):
    copy, *_ = other_book
    result = subprocess.run(
        [sys.executable, "-m", "innobarometer.verification", "--language", "da", str(copy / "_build" / "statistics.csv")], capture_output=True, text=True
    )
    assert result.returncode != 0 and "VERIFIKATIONEN FEJLEDE" in result.stderr
    differing = result.stdout.split("\nAfviger (", 1)[1].split("\n\n", 1)[0]  # the table of figures that differ
    assert re.search(r"^workplaces_innovated_process\s+\d\d,\d\u00a0%\s+\d,\d\d\s+\d\d,\d–\d\d,\d\u00a0%\s+70\u00a0%", differing, re.MULTILINE)


def test_verification_passes_on_the_synthetic_data():
    result = subprocess.run([sys.executable, "-m", "innobarometer.verification", "--language", "da"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "I alt: Afviger 0; Mangler i beregningen 0; Ikke vist (diskretionering) 0;" in " ".join(result.stdout.split())
