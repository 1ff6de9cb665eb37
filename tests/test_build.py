"""The build: bad input stops it with the cause named and the last good site kept; other valid
data (in a file with a hostile name) changes every number and shows the name as text; a clean
and an incremental build publish the same bytes."""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from html_pages import parse_page, visible_text
from innobarometer import build
from innobarometer.estimate import weighted_share
from innobarometer.formatting import percent
from innobarometer.microdata import load_microdata
from innobarometer.paths import PDF_NAME, ROOT, SYNTHETIC_MICRODATA
from innobarometer.statistics import read
from innobarometer.synthesize import published_targets, synthesize


def run_build(cwd: Path, data: Path | None = None, extra_env: dict | None = None, *args) -> subprocess.CompletedProcess:
    env = os.environ | (extra_env or {})
    if data is not None:
        env["INNOBAROMETER_DATA"] = str(data)
    return subprocess.run([sys.executable, "-m", "innobarometer.build", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


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


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty", b"", "the file is empty"),
        ("header only", SYNTHETIC_MICRODATA.read_bytes().splitlines(keepends=True)[0], "header but no rows"),
        ("latin-1", SYNTHETIC_MICRODATA.read_bytes().replace(b"W00007", "Å00007".encode("latin-1")), "not UTF-8"),
        ("only a BOM", b"\xef\xbb\xbf\n", "only a byte order mark"),
        ("UTF-16", SYNTHETIC_MICRODATA.read_text(encoding="utf-8").encode("utf-16"), "iconv -f UTF-16LE"),
        ("trailing separator", SYNTHETIC_MICRODATA.read_bytes().replace(b"\n", b",\n").replace(b",\n", b"\n", 1), "ends with a separator"),
    ],
)
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


def test_unknown_extra_column_is_accepted_and_mentioned(tmp_path):
    path = tmp_path / "extra.csv"
    synthetic_table().assign(branch="skole").to_csv(path, index=False)
    result = subprocess.run(
        [sys.executable, "-m", "innobarometer.microdata"], env=os.environ | {"INNOBAROMETER_DATA": str(path)}, capture_output=True, text=True
    )
    assert result.returncode == 0 and "ignored: branch" in result.stdout


def test_execution_inputs_digest_changes_with_the_microdata(tmp_path, monkeypatch):
    copy = tmp_path / "copy.csv"
    shutil.copy(SYNTHETIC_MICRODATA, copy)
    monkeypatch.setenv("INNOBAROMETER_DATA", str(copy))
    first = build.execution_inputs_digest()
    copy.write_text(copy.read_text().replace("W00001,", "W99999,", 1))
    assert build.execution_inputs_digest() != first


def site_inputs_after(tmp_path, monkeypatch, change) -> tuple[str, str]:
    """The site's inputs digest of a small repository before and after `change(repository)`."""
    repository = tmp_path / "repository"
    for name in ("_config.yml", "tests/test_a.py", "_build/html/index.html"):
        (repository / name).parent.mkdir(parents=True, exist_ok=True)
        (repository / name).write_text(name)
    (tmp_path / "microdata.csv").write_text("microdata")
    monkeypatch.setattr(build, "ROOT", repository)
    monkeypatch.setenv("INNOBAROMETER_DATA", str(tmp_path / "microdata.csv"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1")
    before = build.site_inputs_digest()
    change(repository)
    return before, build.site_inputs_digest()


def test_site_inputs_change_with_a_repository_file(tmp_path, monkeypatch):
    before, after = site_inputs_after(tmp_path, monkeypatch, lambda r: (r / "_config.yml").write_text("edited"))
    assert before != after


def test_site_inputs_change_with_the_microdata(tmp_path, monkeypatch):
    before, after = site_inputs_after(tmp_path, monkeypatch, lambda r: (tmp_path / "microdata.csv").write_text("edited"))
    assert before != after


def test_site_inputs_change_with_the_date_the_pdfs_carry(tmp_path, monkeypatch):
    before, after = site_inputs_after(tmp_path, monkeypatch, lambda r: monkeypatch.setenv("SOURCE_DATE_EPOCH", "2"))
    assert before != after


def test_site_inputs_ignore_tests_and_build_products(tmp_path, monkeypatch):
    def change(repository):
        (repository / "tests" / "test_a.py").write_text("edited")
        (repository / "_build" / "html" / "index.html").write_text("edited")

    before, after = site_inputs_after(tmp_path, monkeypatch, change)
    assert before == after


def large_valid_file(path: Path, rows: int = 200_000) -> None:
    """A valid file of `rows` workplaces: other synthetic data, each row repeated with its weight
    divided, so the weighted shares are those of the small file."""
    small = synthesize(targets=published_targets() | {"process": 0.55, "service": 0.30})
    repeats = -(-rows // len(small))
    large = small.loc[small.index.repeat(repeats)].head(rows).reset_index(drop=True)
    large["weight"] = large["weight"] / repeats
    large = large.drop(columns="stratum_population")  # repeated rows are no sample of the strata
    large["respondent_id"] = [f"R{i:06d}" for i in range(1, len(large) + 1)]
    large.to_csv(path, index=False)


#: A data file name that would run a script if a page inserted it unescaped, and break LaTeX.
HOSTILE_NAME = "large`<img src=x onerror=alert(document.domain)>`&%$#_{}~^.csv"


FIRST_OF_JANUARY_2000 = 946_684_800


@pytest.fixture(scope="module")
def repository_copy(tmp_path_factory):
    """A copy of the repository, built once on a different, large, valid microdata file with a
    hostile name."""
    copy = tmp_path_factory.mktemp("repo")
    shutil.copytree(ROOT, copy, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".venv", "_build", ".git", "*.egg-info", ".pytest_cache", "node_modules"))
    (copy / "node_modules").symlink_to(ROOT / "node_modules")  # npm packages, as installed by make setup
    data = copy / HOSTILE_NAME
    large_valid_file(data)
    environment = {"PYTHONPATH": str(copy), "SOURCE_DATE_EPOCH": str(FIRST_OF_JANUARY_2000)}
    result = run_build(copy, data, environment)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return copy, data, environment


def test_other_data_of_200000_rows_builds_and_changes_every_number(repository_copy):
    copy, data, _ = repository_copy
    stats = read(copy / "_build" / "statistics.csv")
    frame = load_microdata(data)
    assert len(frame) == 200_000
    for t in ["process", "service", "communication", "product", "any"]:
        expected = weighted_share(frame, f"innovated_{t}")["value"]
        assert stats.loc[f"workplaces_innovated_{t}", "value"] == pytest.approx(expected, abs=1e-9)
    assert (stats["source"] == f"microdata:{HOSTILE_NAME}").all()
    headline = percent(stats.loc["workplaces_innovated_process", "value"])
    assert headline == percent(0.55)
    page = visible_text(copy / "_build" / "html" / "book" / "organiser-smartere.html")
    assert f"{headline} af de offentlige arbejdspladser" in page and "syntetisk datasæt" not in page


def test_hostile_data_file_name_is_shown_as_text_and_never_runs(repository_copy):
    copy, _, _ = repository_copy
    site = copy / "_build" / "html"
    pages = sorted(site.rglob("*.html"))
    assert pages and not any("<img src=x" in page.read_text(encoding="utf-8") for page in pages)
    assert not any("x" in parse_page(page).requests for page in pages)
    shown = sorted(page.name for page in pages if HOSTILE_NAME in visible_text(page))
    assert {"figur-a.html", "figur-b.html", "organiser-smartere.html"} <= set(shown)  # the data notes at least
    assert (site / PDF_NAME).stat().st_size > 0  # the name went through LaTeX too


def test_pages_carry_the_date_of_their_inputs_not_of_the_day_they_were_built(repository_copy):
    copy, _, _ = repository_copy  # built with SOURCE_DATE_EPOCH at the first of January 2000
    assert "Sidst opdateret 1. januar 2000" in visible_text(copy / "_build" / "html" / "book" / "organiser-smartere.html")


def build_with_edit(repository_copy, relative: str, old: str, new: str) -> tuple[subprocess.CompletedProcess, bool]:
    """Build the copy with one file edited (restored afterwards); also whether its site was kept."""
    copy, data, environment = repository_copy
    path = copy / relative
    original = path.read_text(encoding="utf-8")
    before = tree_digest(copy / "_build" / "html")
    path.write_text(original.replace(old, new, 1), encoding="utf-8")
    try:
        result = run_build(copy, data, environment)
    finally:
        path.write_text(original, encoding="utf-8")
    return result, tree_digest(copy / "_build" / "html") == before


def test_broken_published_fact_stops_the_build_and_keeps_the_site(repository_copy):
    result, kept = build_with_edit(repository_copy, "data/published/facts.csv", "https://innovationsbarometer.coi.dk/lav-nye-services/", "")
    assert result.returncode != 0 and "facts.csv: column 'source_url', row 2" in result.stderr
    assert kept


def test_notebook_that_raises_stops_the_build_with_the_cause_and_keeps_the_site(repository_copy):
    failing = "workplaces = load_microdata()\nraise RuntimeError('deliberate failure in the test')"
    result, kept = build_with_edit(repository_copy, "notebooks/figur-b.md", "workplaces = load_microdata()", failing)
    assert result.returncode != 0
    assert "deliberate failure in the test" in result.stdout + result.stderr
    assert "jupyter_book" not in result.stdout + result.stderr  # stopped before Sphinx, no framework traceback
    assert kept


def site_files(site: Path) -> dict:
    """Every published file's digest, by path; the PDF is left to its own test (test_pdf)."""
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file() and path.name != PDF_NAME
    }


def test_incremental_and_clean_builds_publish_identical_bytes(repository_copy):
    """The copy has been built, then failed twice (a broken fact, a failing notebook): its next,
    incremental build must publish what a build into an empty _build publishes."""
    copy, data, environment = repository_copy
    (copy / "_build" / "published-inputs.sha256").unlink(missing_ok=True)  # else nothing would be built
    result = run_build(copy, data, environment)
    assert result.returncode == 0, result.stderr[-3000:]
    incremental = site_files(copy / "_build" / "html"), (copy / "_build" / "statistics.csv").read_bytes()
    assert not [name for name in incremental[0] if name.endswith(".err.log")]
    shutil.rmtree(copy / "_build")
    result = run_build(copy, data, environment)
    assert result.returncode == 0, result.stderr[-3000:]
    clean = site_files(copy / "_build" / "html"), (copy / "_build" / "statistics.csv").read_bytes()
    assert incremental[1] == clean[1]
    assert incremental[0] == clean[0]


def test_a_build_with_nothing_changed_says_so_and_keeps_the_published_site(repository_copy):
    copy, data, environment = repository_copy
    assert run_build(copy, data, environment).returncode == 0
    published = (copy / "_build" / "html").resolve()
    result = run_build(copy, data, environment)
    assert result.returncode == 0 and "Nothing changed" in result.stdout
    assert (copy / "_build" / "html").resolve() == published


def test_verification_fails_when_the_data_does_not_reproduce_the_published_figures(repository_copy):
    copy, _, _ = repository_copy
    result = subprocess.run(
        [sys.executable, "-m", "innobarometer.verification", str(copy / "_build" / "statistics.csv")], capture_output=True, text=True
    )
    assert result.returncode != 0 and "VERIFICATION FAILED" in result.stderr
    assert re.search(r"workplaces_innovated_process\s*\|\s*5[45],\d\s%\s*\|\s*70\s%.*\|\s*mismatch", result.stdout)


def test_verification_passes_on_the_synthetic_data():
    result = subprocess.run([sys.executable, "-m", "innobarometer.verification"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 differ, 0 missing" in result.stdout
