"""The build: bad input stops it with the cause named and the last good site kept; other valid
data (a Danish spreadsheet export with a hostile name, tests/other_files.py) changes every number
and shows the name as text; a build stopped, killed or out of space in a step keeps the published
site, and the next recovers; a clean and an incremental build publish the same bytes."""

import fcntl
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from conftest import published_files, run_build
from html_pages import parse_page, visible_text
from innobarometer.building import build
from innobarometer.data.microdata import load_microdata
from innobarometer.estimates.estimate import weighted_share
from innobarometer.estimates.statistics_record import read
from innobarometer.paths import PDF_NAME, ROOT, SYNTHETIC_MICRODATA
from innobarometer.text.formatting import percent
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


#: One corruption of each kind for a whole build: a column missing, a value out of its domain,
#: answers that contradict each other. Every corruption's message is checked in-process in
#: test_microdata.py; a build process costs most of a second of a core before it reads the file.
CORRUPTIONS = {
    "missing column": (drop_column("latest_quality"), "latest_quality"),
    "negative weight": (set_value("weight", "-3.2"), "weight"),
    "innovator without quality answer": (set_value("latest_quality", "", latest_process="1"), "latest_quality"),
}


@pytest.fixture(scope="module")
def site_before():
    if not (build.SITE / "index.html").exists():
        pytest.fail("no built book: run `make book` first (make test does)")
    return tree_digest(build.SITE), build.STATISTICS.read_bytes()


@pytest.mark.parametrize("corruption", CORRUPTIONS)
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


# A whole build on three of them; each reading failure's message is checked in-process in
# test_microdata_reading.py.
@pytest.mark.parametrize("name, content, message", UNREADABLE[::2], ids=[name for name, *_ in UNREADABLE[::2]])
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
    assert {"kvalitet.html", "innovationstyper.html", "organiser-smartere.html"} <= set(shown)  # the data notes at least
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
    result, kept = build_with_edit(other_book, "notebooks/innovationstyper.md", "workplaces = load_microdata()", failing)
    assert result.returncode != 0
    assert "deliberate failure in the test" in result.stdout + result.stderr
    assert "jupyter_book" not in result.stdout + result.stderr  # stopped before Sphinx, no framework traceback
    assert kept


def test_the_audit_step_stops_on_a_suppressed_share_planted_in_a_page_naming_file_and_cell(other_book, tmp_path, monkeypatch):
    """The step the build runs on its staged site before publishing, on the other book's site with
    a hidden cell's share written into a page. (A build that fails in a step keeps the published
    site: the failures above show it; a whole build failing here cost 17 s of a core.)"""
    copy, data, *_ = other_book
    secret = build.chapter_record(load_microdata(data)).precise[0]
    staged = tmp_path / "html"
    shutil.copytree(copy / "_build" / "html", staged)
    monkeypatch.setattr(build, "STAGED_HTML", staged)
    monkeypatch.setenv("INNOBAROMETER_DATA", str(data))
    table = read(copy / "_build" / "statistics.csv").reset_index()
    assert "none of them in any file to be published" in build.audit_staged_site(table)
    page = staged / "book" / "verifikation.html"
    markup = page.read_text(encoding="utf-8")
    assert markup.count("</main>") == 1
    page.write_text(markup.replace("</main>", f"<p>({secret.share!r})</p></main>"), encoding="utf-8")
    with pytest.raises(build.BuildError) as stopped:
        build.audit_staged_site(table)
    assert "book/verifikation.html" in str(stopped.value) and secret.id in str(stopped.value), str(stopped.value)


# Faults in a whole build of the other book. Each case starts a build with something to do, brings
# a fault upon it in a step, and checks what it said and that the published site is still the
# clean build's, whole, with its statistics. The cases run in this order, each on what the last
# left: the next case's build is the one that recovers from a fault (getting past where it
# struck), and the incremental build below recovers from the last. A fault late in a build costs
# a build up to there (about 10 s on two busy cores), so only one case strikes after the editions.

#: The line each step ends with, and so where the next begins.
STEP_ENDS = {
    "validate": re.compile(r"validate "),
    "execute": re.compile(r"execute  \d+ notebooks in the cache"),
    "editions": re.compile(r"editions "),
    "audit": re.compile(r"audit "),
    "publish": re.compile(r"publish "),
}
STEPS = list(STEP_ENDS)


class BackgroundBuild:
    """A build of the other book, started as `make book` starts it (SIGINT ignored until the build
    handles it), its output read line by line as it comes."""

    def __init__(self, other_book):
        copy, data, environment, *_ = other_book
        self.folder = copy / "_build"
        (self.folder / "published-inputs.sha256").unlink(missing_ok=True)  # else nothing would be built
        self.published = (self.folder / "html").resolve()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "innobarometer.building.build"], cwd=copy, env=os.environ | environment | {"INNOBAROMETER_DATA": str(data)},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
        )
        self.lines: list[str] = []

    def started(self) -> None:
        """Once the build holds the lock (its first act), before its first step's line."""
        lock = self.folder / "build.lock"
        deadline = time.monotonic() + 60
        while not (lock.exists() and lock.read_text().startswith(f"{self.process.pid} ")):
            assert time.monotonic() < deadline and self.process.poll() is None, "the build did not take its lock"
            time.sleep(0.005)

    def ended(self, step: str) -> None:
        """Once the build has printed the line that ends `step`."""
        for line in self.process.stdout:
            self.lines.append(line)
            if STEP_ENDS[step].match(line):
                return
        pytest.fail(f"the build ended before its {step} step did:\n{''.join(self.lines)}{self.process.stderr.read()[-3000:]}")

    def result(self) -> tuple[int, str, str]:
        out, err = self.process.communicate(timeout=600)
        return self.process.returncode, "".join(self.lines) + out, err

    def stopped_where(self, out: str) -> set[str]:
        """Where the build was when it was stopped, in its words, as its lines show: in the step
        after the last whose line it printed, or between the two."""
        finished = [step for step in STEPS if any(STEP_ENDS[step].match(line) for line in out.splitlines())]
        if not finished:
            return {"before its first step", "in its validate step"}
        return {f"after its {finished[-1]} step", f"in its {STEPS[len(finished)]} step"}


def unlocked(folder: Path, within: float = 0) -> bool:
    """Whether every process of the last build has ended (within so many seconds): each holds the
    build lock until it does."""
    descriptor = os.open(folder / "build.lock", os.O_RDWR)
    try:
        deadline = time.monotonic() + within
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return False
                time.sleep(0.05)
    finally:
        os.close(descriptor)


def assert_published_site_is_the_clean_one(other_book) -> None:
    """The published site is one release, byte for byte the clean build's, PDFs and statistics
    included, and the statistics link points into it."""
    copy, *_, clean, _ = other_book
    site = copy / "_build" / "html"
    assert site.is_symlink() and site.resolve().parent == (copy / "_build" / "releases").resolve()
    assert os.readlink(copy / "_build" / "statistics.csv") == "html/statistics.csv"
    assert published_files(site) == clean


#: Where each case strikes: as the build starts (it holds the lock), or as a step begins (the line
#: of the step before it appears). Left out, each for the build it costs: SIGKILL in the editions
#: (whose processes run on, holding the lock, until they end), either signal in the audit, and
#: SIGINT in publishing; and both in executing, which takes a few hundredths of a second when the
#: notebooks are in the cache, as here.
STOPS = [("SIGINT", "start"), ("SIGKILL", "start"), ("SIGINT", "editions"), ("SIGKILL", "publish")]


@pytest.mark.parametrize("name, step", STOPS, ids=[f"{name} in {step}" for name, step in STOPS])
def test_a_build_stopped_in_a_step_keeps_the_published_site_and_says_where_it_stopped(other_book, name, step):
    running = BackgroundBuild(other_book)
    if step == "start":
        running.started()
    else:
        running.ended(STEPS[STEPS.index(step) - 1])
    running.process.send_signal(getattr(signal, name))
    status, out, err = running.result()
    assert "Traceback" not in out + err
    if name == "SIGKILL":
        assert status == -signal.SIGKILL
        assert unlocked(running.folder, within=120)  # the processes it started run on until they end
    else:
        assert status == 128 + signal.SIGINT
        said = re.search(r"BUILD STOPPED by SIGINT (.+?); every process it started has ended\.", err)
        assert said and said[1] in running.stopped_where(out) and unlocked(running.folder), err
        kept = "The new site was published in" if (running.folder / "html").resolve() != running.published else "is left as it was"
        assert kept in err
    assert_published_site_is_the_clean_one(other_book)


def test_a_build_that_runs_out_of_space_names_the_full_disk_in_its_step_and_keeps_the_site(other_book, on_a_small_disk):
    # another process fills the disk as soon as the editions begin, and keeps it full: the steps'
    # logs cannot be written either
    if on_a_small_disk:
        pytest.skip(on_a_small_disk)
    running = BackgroundBuild(other_book)
    running.ended("execute")
    with disk_kept_full(running.folder / "filler"):
        status, out, err = running.result()
    # the space freed: the next build recovers
    assert status == 1 and "Traceback" not in out + err
    assert "BUILD FAILED in its editions step: " in err and "no space left on the device" in err
    assert "The previously built site" in err and "is left as it was" in err
    assert_published_site_is_the_clean_one(other_book)


@pytest.fixture(scope="module")
def on_a_small_disk(other_book):
    """The other book's _build/ moved onto a 64 MB tmpfs mounted in its place (a build adds about
    8 MB to its 18 MB), for the rest of this module; or why that could not be done."""
    copy, *_ = other_book
    folder = copy / "_build"
    if os.geteuid() != 0 or shutil.which("mount") is None:
        yield "mounting a tmpfs needs root and mount(8): not on this machine"
        return
    aside = copy / "_build.on-disk"
    shutil.rmtree(aside, ignore_errors=True)
    shutil.copytree(folder, aside, symlinks=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(folder)], capture_output=True, text=True)
    if mounted.returncode != 0:
        shutil.rmtree(aside)
        yield f"mount -t tmpfs was refused: {mounted.stderr.strip()}"
        return
    shutil.copytree(aside, folder, symlinks=True, dirs_exist_ok=True)
    shutil.rmtree(aside)
    try:
        yield None
    finally:
        unlocked(folder, within=120)
        # the folder on disk reappears as it was before the mount: a published site of the same bytes
        if subprocess.run(["umount", str(folder)]).returncode != 0:
            subprocess.run(["umount", "--lazy", str(folder)])


class disk_kept_full:
    """Another process's file that takes every block the disk frees, as long as the context lasts;
    removed when it ends."""

    def __init__(self, path: Path):
        self.path, self.done = path, threading.Event()

    def fill(self):
        descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o644)
        size = 0
        try:
            while not self.done.is_set():
                device = os.statvfs(self.path)
                free = device.f_bfree * device.f_frsize
                if free:
                    try:
                        os.posix_fallocate(descriptor, size, free)
                        size += free
                    except OSError:
                        pass  # taken meanwhile
                time.sleep(0.001)
        finally:
            os.close(descriptor)

    def __enter__(self):
        self.thread = threading.Thread(target=self.fill, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join()
        self.path.unlink()


def test_incremental_and_clean_builds_publish_identical_bytes(other_book):
    """The copy was built into an empty _build/, then failed twice (a broken fact, a failing
    notebook), was stopped and killed in its steps and ran out of space (the cases
    above): its next, incremental build must publish the same bytes, PDFs included."""
    copy, data, environment, clean, _ = other_book
    (copy / "_build" / "published-inputs.sha256").unlink(missing_ok=True)  # else nothing would be built
    result = run_build(copy, data, environment)
    assert result.returncode == 0, result.stderr[-3000:]
    incremental = published_files(copy / "_build" / "html")
    assert not [name for name in incremental if name.endswith(".err.log")]
    assert incremental == clean
    # nothing left of the faults: no other release (a killed publish leaves one), no half-made link
    assert [p.name for p in (copy / "_build" / "releases").iterdir()] == [(copy / "_build" / "html").resolve().name]
    assert not list((copy / "_build").glob("*.incoming")) and not list((copy / "_build").glob("*.outgoing"))


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
        [sys.executable, "-m", "innobarometer.presentation.verification", "--language", "da", str(copy / "_build" / "statistics.csv")], capture_output=True, text=True
    )
    assert result.returncode != 0 and "VERIFIKATIONEN FEJLEDE" in result.stderr
    differing = result.stdout.split("\nAfviger (", 1)[1].split("\n\n", 1)[0]  # the table of figures that differ
    assert re.search(r"^workplaces_innovated_process\s+\d\d,\d\u00a0%\s+\d,\d\d\s+\d\d,\d–\d\d,\d\u00a0%\s+70\u00a0%", differing, re.MULTILINE)


def test_verification_passes_on_the_synthetic_data():
    result = subprocess.run([sys.executable, "-m", "innobarometer.presentation.verification", "--language", "da"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "I alt: Afviger 0; Mangler i beregningen 0; Ikke vist (diskretionering) 0;" in " ".join(result.stdout.split())
