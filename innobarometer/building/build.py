"""Build the book: validate the inputs, execute and build, then publish atomically.

`python -m innobarometer.building.build` is what `make book` runs. The site is built in `_build/site/`
and published as `_build/html/` (with its `statistics.csv`) only when the whole build
succeeded, so a failed or interrupted build (bad data, a failing cell, a broken reference, a
kill) leaves the last good site in place. One build runs at a time.
"""

from __future__ import annotations

import os
import signal
import sys


def stopped_before_start(signum, frame):
    """Ctrl-C while Python is still importing: nothing has been touched yet, so the process ends
    at once. (An exception raised here can land in a callback of the import machinery, which
    Python prints as a traceback and goes on from: the build then ran to its end.)"""
    sys.stderr.write(f"\nBUILD STOPPED by {signal.Signals(signum).name} before it began: nothing was changed.\n")
    sys.stderr.flush()
    os._exit(128 + signum)


if __name__ == "__main__":  # before the imports below, which take a few tenths of a second
    for _signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(_signum, stopped_before_start)

import argparse  # noqa: E402
import errno  # noqa: E402
import fcntl  # noqa: E402
import hashlib  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402

import yaml  # noqa: E402

from innobarometer.site.editions import FOLDER  # noqa: E402
from innobarometer.text.escape import printable  # noqa: E402
from innobarometer.text.language import DANISH, LANGUAGE_ENV, LANGUAGES
from innobarometer.paths import (  # noqa: E402
    BUILD, BUILD_ENV, DATA, DATA_ENV, EXECUTION_CACHE, RECORDED_STATISTICS, ROOT, edition_config, execution_cache, is_notebook,
    microdata_path, pdf_name, toc_files,
)

#: Where each edition is built: the Danish in _build/site/, the English in _build/site-en/.
STAGINGS = {language: BUILD / ("site" if language == DANISH else f"site-{language}") for language in LANGUAGES}
STAGING = STAGINGS[DANISH]
STAGED_HTML = STAGING / "_build" / "html"
#: Each edition's merged configuration, for `jupyter-book build --config`.
MERGED_CONFIGS = BUILD / "editions"
#: The published site: a symbolic link, replaced in one rename, to a folder in RELEASES.
SITE = BUILD / "html"
RELEASES = BUILD / "releases"
#: The published statistics: a fixed link into the published site, so they change with it.
STATISTICS = BUILD / "statistics.csv"
LOCK = BUILD / "build.lock"
#: What each step printed: Sphinx, LaTeX and the kernels, one file per step and edition.
LOGS = BUILD / "logs"
CACHE_KEY = BUILD / "execution-inputs.sha256"
#: The notebooks, as last found all in the execution cache: inside the cache, so cleared with it.
#: A page edit then starts no executor, which took 0.5 s to find every notebook in the cache.
EXECUTED_STAMP = EXECUTION_CACHE / "executed-notebooks.sha256"
#: The inputs of the published site (`site_inputs_digest`).
PUBLISHED_INPUTS = BUILD / "published-inputs.sha256"
#: Every file of the published site with its digest, to tell that the site is whole.
PUBLISHED_FILES = BUILD / "published-files.sha256"
#: Where the build is, for the messages of a build that failed or was stopped: its step ("start"
#: before the first, None between two), the last step it finished, and the release it published,
#: if it got that far.
progress: dict = {"step": "start", "finished": None, "release": None}

class BuildError(RuntimeError):
    pass


class Stopped(BaseException):
    """The build received a signal to stop (SIGINT, SIGTERM, SIGHUP)."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


#: The open build lock, passed to every child process so that the lock is held until the
#: build and everything it started have ended.
_lock_descriptor: int | None = None


@contextmanager
def build_lock():
    """Hold the build lock for the duration, or fail at once naming the build that holds it.

    The lock is an flock on `_build/build.lock`, which the kernel releases when the last process
    holding it ends, however it ended: a killed build never blocks the next one, and a build
    whose orphaned children still write into `_build/` keeps it locked until they are gone.
    """
    global _lock_descriptor
    BUILD.mkdir(exist_ok=True)
    descriptor = os.open(LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        raise BuildError(f"another build is running in {printable(ROOT)} ({lock_holder()}); wait for it to end, then build again") from None
    os.ftruncate(descriptor, 0)
    started = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
    os.write(descriptor, f"{os.getpid()} {started} UTC, data {printable(microdata_path())}\n".encode())
    _lock_descriptor = descriptor
    try:
        yield
    finally:
        _lock_descriptor = None
        os.close(descriptor)


def lock_holder() -> str:
    """The build that holds the lock, in words: its process id, start time and data file."""
    text = LOCK.read_text(encoding="utf-8", errors="replace").strip()
    pid, _, rest = text.partition(" ")
    if not pid.isdigit():
        return "unknown process"
    try:
        os.kill(int(pid), 0)
        alive = ""
    except ProcessLookupError:
        alive = "; it has ended but processes it started are still running"
    except PermissionError:
        alive = ""
    return printable(f"process {pid}, started {rest}{alive}")


def run_step(command: list[str], env: dict, log: Path, show_output: bool = False) -> int:
    """Run one step's command in its own process group and return its exit status."""
    return run_steps([command], env, [log], show_output)[0]


def run_steps(commands: list[list[str]], env: dict | list[dict], logs: list[Path], show_output: bool = False) -> list[int]:
    """Run commands at once, each in its own process group (in `env`, or each in its own), and
    return their exit statuses.

    Each command writes into its log (`show_output`: its standard output to the terminal, its
    errors into the log). When the build is stopped (a signal or Ctrl-C) every group is stopped
    too, so no orphan goes on writing into `_build/` after the build has gone.
    """
    from innobarometer.building.execute import LOCK_FD

    envs = env if isinstance(env, list) else [env] * len(commands)
    if _lock_descriptor is not None:
        envs = [env | {LOCK_FD: str(_lock_descriptor)} for env in envs]  # for the processes they start (the kernels)
    processes = []
    files = []
    try:
        for command, env, log in zip(commands, envs, logs):
            log.parent.mkdir(parents=True, exist_ok=True)
            files.append(open(log, "wb"))
            processes.append(subprocess.Popen(
                command, env=env, cwd=ROOT, start_new_session=True, stdout=None if show_output else files[-1], stderr=files[-1],
                pass_fds=() if _lock_descriptor is None else (_lock_descriptor,),
            ))
        return [process.wait() for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                stop_group(process)
        for file in files:
            file.close()


#: Lines of a Sphinx or LaTeX log that say what went wrong.
PROBLEM = re.compile(r"WARNING|ERROR|CRITICAL|^! |Exception|Error:")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


#: What a process says when the disk is full, whatever else its log then shows (LaTeX's emergency stop).
DISK_FULL = re.compile(r"No space left on device|Disk quota exceeded", re.IGNORECASE)


def problems_in(log: Path, shown: int = 15) -> str:
    """The lines of a log that name problems, each once, as a short excerpt for the terminal; a
    full disk first, and by name."""
    try:
        lines = ANSI.sub("", log.read_text(encoding="utf-8", errors="replace")).splitlines()
    except OSError:
        lines = []
    if any(DISK_FULL.search(line) for line in lines):
        return f"  no space left on the device: {printable(next(line.strip() for line in lines if DISK_FULL.search(line)))}"
    found = list(dict.fromkeys(line.strip() for line in lines if PROBLEM.search(line)))
    if not found:
        found = [line.strip() for line in lines[-shown:] if line.strip()]
    if not found:
        return "  (nothing in its log)"
    excerpt = found[:shown] + ([f"... and {len(found) - shown} more"] if len(found) > shown else [])
    return "\n".join("  " + printable(line) for line in excerpt)


#: Less space than this left on the device of _build counts as a full disk.
NEARLY_FULL = 2**20


def disk_full() -> str:
    """A full disk named, when the device that holds _build has (nearly) no space left, else '':
    a step that failed for it may not have been able to write so into its log."""
    try:
        device = os.statvfs(BUILD)
    except OSError:
        return ""
    free = (device.f_bfree if os.geteuid() == 0 else device.f_bavail) * device.f_frsize  # root may use the reserve
    if free >= NEARLY_FULL:
        return ""
    return f"no space left on the device that holds {printable(BUILD)} ({amount(free)} free); free some and build again.\n"


def stop_group(process: subprocess.Popen, grace: float = 10) -> None:
    """Terminate a child's process group; kill it if it has not ended after `grace` seconds."""
    for signum in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, signum)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


#: The signals that stop a build.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def raise_stopped(signum, frame):
    """Stop the build, once: the signals that follow (a second Ctrl-C) are ignored while it stops
    its processes and says what it kept, which they would otherwise break off with a traceback."""
    ignore_stop_signals()
    raise Stopped(signum)


def ignore_stop_signals() -> None:
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


def files_digest(files: list[Path]) -> str:
    """Hash of the files' names and contents (a file that cannot be read counts as such)."""
    digest = hashlib.sha256()
    for path in files:
        if path.is_file():
            digest.update(os.fsencode(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path))  # names need not be UTF-8
            try:
                digest.update(path.read_bytes())
            except OSError:
                digest.update(b"\0unreadable")  # the validation reports why
    return digest.hexdigest()


def execution_inputs_digest() -> str:
    """Hash of everything a notebook's outputs depend on besides its own code cells.

    jupyter-cache keys only on code cells; the data, the kit, the chapter's package, the
    catalogues a notebook's texts are translated from as it runs (the kit's, the chapter's, the
    notebooks' own: not a narrative page's, whose translation is Sphinx's), the publication's
    identity and the microdata file change outputs too.
    """
    from innobarometer.data.publication import IDENTITY, identity

    packages = [ROOT / "innobarometer", ROOT / identity()["chapter"]]
    files = sorted(DATA.rglob("*")) + sorted(path for package in packages for path in package.rglob("*.py"))
    return files_digest(files + notebook_catalogues() + [ROOT / "requirements.txt", IDENTITY, microdata_path()])


def notebook_catalogues() -> list[Path]:
    """The catalogues a notebook's texts come from as it runs: all but the narrative pages'."""
    narrative = {page.relative_to(ROOT).with_suffix("").as_posix() for page in toc_files() if not is_notebook(page)}
    found = []
    for path in sorted((ROOT / "innobarometer" / "locale").rglob("*.po")) + sorted((ROOT / "locale").rglob("*.po")):
        name = Path(*path.parts[path.parts.index("LC_MESSAGES") + 1:]).with_suffix("").as_posix()  # book/index
        if name not in narrative:
            found.append(path)
    return found


#: Folders that are not inputs of the book: tests, benchmarks, and what installing and building make.
NOT_INPUTS = {".git", ".venv", ".venv-lab", "_build", "node_modules", ".pytest_cache", ".hypothesis", "__pycache__", "tests", "benchmarks"}


def site_inputs_digest() -> str:
    """Hash of everything the published site is made from: the repository's files, the microdata
    and the date the pages and PDFs carry. The same inputs give the same bytes, so a build whose inputs
    are those of the published site has nothing to do."""
    files = []
    for folder, subfolders, names in os.walk(ROOT):
        subfolders[:] = sorted(d for d in subfolders if d not in NOT_INPUTS and not d.endswith(".egg-info"))
        # compiled catalogues (.mo) are written by Sphinx from the .po beside them, which counts
        files += [Path(folder, name) for name in sorted(names) if not name.endswith(".mo")]
    return files_digest(files + [microdata_path()]) + f" {printable(microdata_path())} {source_date_epoch()}"


def invalidate_stale_cache() -> bool:
    """Clear the execution cache when its inputs changed; True when it was cleared."""
    key = execution_inputs_digest()
    if CACHE_KEY.exists() and CACHE_KEY.read_text().strip() == key:
        return False
    clear_execution_cache()
    BUILD.mkdir(exist_ok=True)
    CACHE_KEY.write_text(key + "\n")
    return True


def validate_inputs() -> str:
    """Fail before any notebook runs, with the loader's message naming file, column and rows;
    else say what was read."""
    from innobarometer.data.microdata import DataError, load_microdata, reading_summary
    from innobarometer.data.published import PublishedFactsError, read_cases, read_facts

    try:
        read_facts()
        read_cases()
        frame = load_microdata()
    except (DataError, PublishedFactsError) as error:
        raise BuildError(str(error)) from None
    except MemoryError:
        size = amount(microdata_path().stat().st_size)
        raise BuildError(f"the microdata file {printable(microdata_path())} ({size}) does not fit in the memory this build may use.{memory_note()}") from None
    if frame.attrs["ignored_columns"]:
        print("Note: columns not in the codebook are ignored: " + ", ".join(map(printable, frame.attrs["ignored_columns"])))
    from innobarometer.data.microdata import weight_sum_warning

    warning = weight_sum_warning(frame)  # the file stays valid: said, not refused
    if warning:
        print(warning)
    return reading_summary(frame)


def notebook_environment() -> dict:
    env = os.environ | {BUILD_ENV: "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    if os.environ.get(DATA_ENV):
        env[DATA_ENV] = str(microdata_path())  # notebooks run in their own folder: pass it absolute
    return env


def notebooks() -> list[Path]:
    """The notebooks of the table of contents (MyST Markdown with a kernel)."""
    return [f for f in toc_files() if is_notebook(f)]


def execute_notebooks() -> str:
    """Execute the notebooks missing from the execution cache, all at once, into that cache.

    Sphinx then reads every notebook from the cache; executing during its read would run them one
    after another. A notebook that fails stops the build here, naming its cell and the error.
    """
    paths = notebooks()
    heal_execution_cache()
    executed = files_digest(paths)
    if EXECUTED_STAMP.exists() and EXECUTED_STAMP.read_text().strip() == executed and RECORDED_STATISTICS.exists():
        return f"{len(paths)} notebooks in the cache"  # as they were executed: no executor to start
    EXECUTED_STAMP.unlink(missing_ok=True)
    log = LOGS / "execute.log"
    command = [sys.executable, "-m", "innobarometer.building.execute", *[str(p) for p in paths]]
    if run_step(command, notebook_environment(), log, show_output=True) != 0:
        full = disk_full()  # which the executor may not have said: its log and the cache could not be written
        if full:
            raise BuildError(f"{full}the notebooks could not be executed (the executor's log: {printable(log)}).")
        raise BuildError(f"a notebook failed to execute (named above; its traceback is in {printable(log)}).{memory_note()}")
    EXECUTED_STAMP.parent.mkdir(parents=True, exist_ok=True)
    EXECUTED_STAMP.write_text(executed + "\n")
    return f"{len(paths)} notebooks in the cache"


def heal_execution_cache() -> None:
    """Drop the cache entries that cannot be read, saying so, so that their notebooks run again; a
    cache whose database cannot be read is cleared."""
    from innobarometer.building.execute import UnreadableCache, damaged_cache_entries, drop_cache_entries

    damaged = []
    for language in LANGUAGES:
        cache = execution_cache(language)
        try:
            found = damaged_cache_entries(cache)
        except UnreadableCache as error:
            clear_execution_cache()
            print(f"The execution cache could not be read ({printable(error)}): cleared, every notebook runs again.", flush=True)
            return
        if found:
            drop_cache_entries(cache, [key for key, _ in found])
            damaged += found
    if damaged:
        EXECUTED_STAMP.unlink(missing_ok=True)
        for _, notebook in damaged:
            shown = Path(notebook).relative_to(ROOT) if Path(notebook).is_relative_to(ROOT) else notebook
            print(f"The execution cache's entry for {printable(shown)} could not be read: dropped, the notebook runs again.", flush=True)


def edition_config_file(language: str) -> Path:
    """The edition's whole configuration as a file, with the publication's identity in it
    (publication.yml); rewritten only when it changed."""
    from innobarometer.data.publication import configuration

    path = MERGED_CONFIGS / f"_config.{language}.yml"
    text = yaml.safe_dump(configuration(edition_config(language), language), allow_unicode=True, sort_keys=False)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path


def build_editions() -> str:
    """Each edition's HTML, then its PDF, from the one execution (`innobarometer.building.edition_build`);
    the editions at once, each on a core: they share nothing but the execution cache, which they
    only read. The English pages and each PDF are then placed in the site, the English pages
    loading the assets they share with the Danish from the site's own `_static`."""
    for staging in STAGINGS.values():
        # From an empty output folder: Sphinx's incremental output keeps what earlier builds wrote
        # (search terms of pages as they were, files no longer produced, reports of failed
        # notebooks). Reading stays incremental; writing every page again takes about a second.
        shutil.rmtree(staging / "_build" / "html", ignore_errors=True)
    for language in LANGUAGES:
        # The PDF carries the build's date (SOURCE_DATE_EPOCH), an input latexmk does not see:
        # without its PDF it runs LaTeX again, with the rest of its folder kept.
        (STAGINGS[language] / "_build" / "latex" / pdf_name(language)).unlink(missing_ok=True)
    commands = {
        language: [sys.executable, "-m", "innobarometer.building.edition_build", str(edition_config_file(language)), str(STAGINGS[language])]
        for language in LANGUAGES
    }
    logs = [LOGS / f"edition-{language}.log" for language in commands]
    # Each edition's process in its language: the texts its Sphinx extension writes.
    statuses = run_steps(list(commands.values()), [dated_environment() | {LANGUAGE_ENV: language} for language in commands], logs)
    failed = [(language, log) for language, status, log in zip(commands, statuses, logs) if status != 0]
    full = disk_full() if failed else ""  # before what follows frees space
    for language, _ in failed:
        # Sphinx keeps its environment from the failed run and would not re-read the broken pages
        # next time, so the next build would pass without fixing them: make it read every page.
        shutil.rmtree(STAGINGS[language] / "_build" / ".doctrees", ignore_errors=True)
        # latexmk remembers a failed run and would not try again: the next build starts LaTeX afresh.
        shutil.rmtree(STAGINGS[language] / "_build" / "latex", ignore_errors=True)
    if failed:
        raise BuildError(full + "\n".join(
            f"jupyter-book build of the {language} edition failed:\n{problems_in(log)}\n  (the whole log: {printable(log)})"
            for language, log in failed
        ) + memory_note())
    from innobarometer.site.site_assets import share_static

    for language in LANGUAGES:
        if language != DANISH:
            shutil.copytree(STAGINGS[language] / "_build" / "html", STAGED_HTML / FOLDER[language])
            # The assets both editions use, served once: switching language downloads them not again.
            share_static(STAGED_HTML, STAGED_HTML / FOLDER[language])
        latex = STAGINGS[language] / "_build" / "latex"
        shutil.copy2(latex / pdf_name(language), STAGED_HTML / FOLDER[language] / pdf_name(language))
    from innobarometer.site import source_archive

    # The source the pages' "Kør selv" boxes and the notebooks' first cells point to.
    from innobarometer.data.publication import identity

    source_archive.write_archive(ROOT, STAGED_HTML / source_archive.NAME, int(source_date_epoch()), microdata_path(), identity()["chapter"])
    return f"{', '.join(commands)}: HTML and PDF"


def source_date_epoch() -> str:
    """The date the pages and PDFs carry: SOURCE_DATE_EPOCH when set, else the time of the last commit."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        return os.environ["SOURCE_DATE_EPOCH"].strip()
    commit = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
    if commit.returncode == 0 and commit.stdout.strip():
        return commit.stdout.strip()
    return str(int((ROOT / "_config.yml").stat().st_mtime))  # a copy without its history


def dated_environment() -> dict:
    """The environment of the Sphinx builds. Sphinx (the pages' "last updated"), XeTeX and
    xdvipdfmx take their dates (and the PDF's ID) from SOURCE_DATE_EPOCH, so the same input gives
    the same bytes on any day; FORCE_SOURCE_DATE makes the title page's date follow it."""
    return notebook_environment() | {"SOURCE_DATE_EPOCH": source_date_epoch(), "FORCE_SOURCE_DATE": "1"}


def publishable_statistics():
    from innobarometer.data.published import required_statistics
    from innobarometer.estimates import statistics_record

    if not RECORDED_STATISTICS.exists():
        raise BuildError(f"the statistics record {printable(RECORDED_STATISTICS)} is missing: the execute step writes it; build again")
    table = statistics_record.read_table(RECORDED_STATISTICS)
    try:
        statistics_record.check_publishable(table)
    except statistics_record.UnpublishableError as error:
        raise BuildError(str(error)) from None
    missing = sorted(set(required_statistics()) - set(table["id"]))
    if missing:
        raise BuildError("the notebooks did not record these statistics: " + ", ".join(missing))
    return table


def chapter_record(frame):
    """The disclosure record of a microdata table, as the chapter's notebooks compute it (its
    package's `disclosure_record.every_cell`, the package named in publication.yml)."""
    from innobarometer.data.publication import chapter_module
    from innobarometer.estimates.audit import Record

    return Record(chapter_module("disclosure_record").every_cell(frame))


def audit_staged_site(table) -> str:
    """Check every file about to be published, and the statistics file, against the disclosure
    record computed afresh from the microdata; a leak stops the build, naming the file and cell."""
    from innobarometer.data.microdata import load_microdata
    from innobarometer.estimates import audit, statistics_record

    record = chapter_record(load_microdata())
    recorded = table.set_index("id")["suppressed"].astype(bool)
    disagreeing = [i for i in record.ids if i in recorded.index and record.respondents[i] > 0 and recorded[i] != (i in record.secrets)]
    if disagreeing:
        raise BuildError("the notebooks' statistics and the disclosure record disagree on which cells are suppressed: " + ", ".join(disagreeing))
    leaks = audit.scan(STAGED_HTML, record, extra={"statistics.csv": statistics_record.csv_text(table)})
    if leaks:
        shown = [str(leak) for leak in leaks[:20]] + ([f"... and {len(leaks) - 20} more"] if len(leaks) > 20 else [])
        raise BuildError("the audit found what the disclosure rule hides in files about to be published:\n  - " + "\n  - ".join(shown))
    return f"{len(record.secrets)} suppressed cells, none of them in any file to be published"


def publish(table) -> str:
    """Publish the staged site with its statistics in one step.

    The staged site is moved, in one rename, to a new folder of `_build/releases/` (copying its
    300 files took half a second; every build writes its pages into an empty folder anyway),
    with `statistics.csv` inside it; then `_build/html` becomes a link to it by renaming a new
    link over the old one, which is atomic: an interruption at any point leaves the old site
    with its statistics, or the new one with its own. Reports of failed notebooks are never
    published.
    """
    from innobarometer.estimates import statistics_record

    for reports in STAGED_HTML.rglob("reports"):
        shutil.rmtree(reports, ignore_errors=True)
    for report in STAGED_HTML.rglob("*.err.log"):
        report.unlink()
    RELEASES.mkdir(parents=True, exist_ok=True)
    release = RELEASES / f"site-{time.time_ns()}"
    STAGED_HTML.rename(release)
    statistics_record.write(table, release / "statistics.csv")  # served for download too
    manifest = release_manifest(release)
    if not STATISTICS.is_symlink():
        replace_link(STATISTICS, Path(SITE.name) / "statistics.csv")
    os.sync()  # the release on disk before the link points to it: a power cut leaves no empty site
    progress["release"] = release
    replace_link(SITE, release.relative_to(BUILD))
    sync_folder(BUILD)  # and the link itself
    write_atomically(PUBLISHED_FILES, manifest)
    for old in RELEASES.iterdir():
        if old != release:
            shutil.rmtree(old, ignore_errors=True)
    return f"{SITE.relative_to(ROOT) if SITE.is_relative_to(ROOT) else SITE} with {len(table)} statistics"


def release_manifest(release: Path) -> str:
    """Every file of a release with its digest, as `sha256sum` writes them."""
    lines = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(release).as_posix()}" for p in sorted(release.rglob("*")) if p.is_file()]
    return "\n".join(lines) + "\n"


def damaged_files() -> list[str]:
    """The files of the published site that are missing or differ from what the build published
    (all of them when there is no record of what it published)."""
    if not PUBLISHED_FILES.exists():
        return ["the record of what was published"]
    site = SITE.resolve()
    damaged = []
    for line in PUBLISHED_FILES.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        path = site / name
        try:
            same = hashlib.sha256(path.read_bytes()).hexdigest() == digest
        except OSError:
            same = False
        if not same:
            damaged.append(name)
    return damaged


def sync_folder(folder: Path) -> None:
    """Make a folder's entries (a rename, a new link) durable."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def replace_link(link: Path, target: Path) -> None:
    """Point `link` at `target` in one step: readers see the old target or the new one.

    A link replaces a link or a file in one rename. A folder (a site published before sites were
    links) cannot be renamed over: the new link and the folder swap places in one step
    (`exchange`), and the folder, now under the link's temporary name, is removed; a build stopped
    before that leaves it to the next.
    """
    incoming, outgoing = (link.with_name(f"{link.name}.{end}") for end in ("incoming", "outgoing"))
    for leftover in (incoming, outgoing):
        remove(leftover)
    incoming.symlink_to(target)
    if link.is_symlink() or not link.is_dir():
        os.replace(incoming, link)
    elif exchange(incoming, link):
        remove(incoming)  # the folder, swapped out
    else:  # a file system that cannot swap: two renames, with no `link` between them
        link.rename(outgoing)
        os.replace(incoming, link)
        remove(outgoing)


def remove(path: Path) -> None:
    """Remove a file, a link or a folder, if there is one."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux's renameat2 with RENAME_EXCHANGE, which swaps a link and a
    folder too); False where the C library or the file system cannot."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)  # glibc 2.28 and later
    if renameat2 is None:
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_working_folder, rename_exchange = -100, 2  # AT_FDCWD, RENAME_EXCHANGE
    if renameat2(at_working_folder, os.fsencode(first), at_working_folder, os.fsencode(second), rename_exchange) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV):  # EXDEV: overlayfs, for some folders
        return False
    raise OSError(error, os.strerror(error), str(second))


def clear_execution_cache() -> None:
    """Forget every execution and every read page, so that all notebooks run again."""
    for language in LANGUAGES:
        shutil.rmtree(execution_cache(language), ignore_errors=True)
    for staging in STAGINGS.values():
        shutil.rmtree(staging / "_build" / ".doctrees", ignore_errors=True)
    CACHE_KEY.unlink(missing_ok=True)


def build(fresh: bool = False) -> None:
    timings = {}

    def step(name, action):
        """Run a build step and say, in one line, what it did and how long it took."""
        progress["step"] = name
        started = time.perf_counter()
        done = action()
        # Finished: a stop from here on, even as its line is printed, comes after it. (Printing the
        # line wakes whoever reads it, who may stop the build before it takes another step.)
        progress["step"], progress["finished"] = None, name
        timings[name] = time.perf_counter() - started
        print(f"{name:<9}{done}  {timings[name]:.1f} s", flush=True)

    inputs = site_inputs_digest()  # before building: a file edited meanwhile is built next time
    if not fresh and SITE.exists() and PUBLISHED_INPUTS.exists() and PUBLISHED_INPUTS.read_text() == inputs:
        damaged = damaged_files()
        if not damaged:
            print(f"Nothing changed since {SITE} was built from these inputs: it is up to date.")
            return
        shown = ", ".join(map(printable, damaged[:3])) + (f" and {len(damaged) - 3} more" if len(damaged) > 3 else "")
        print(f"Nothing changed since {SITE} was built, but it is damaged ({shown} missing or changed): building it again.")
    # The cache's check is the execute step's work and the statistics' collection the audit's: a
    # build stopped or failing in them names that step.
    def execute():
        if fresh:
            clear_execution_cache()
        if invalidate_stale_cache():
            print("Execution inputs changed (data, package or microdata): notebooks will run again.")
        return execute_notebooks()

    table = None

    def audit():
        nonlocal table
        table = publishable_statistics()
        return audit_staged_site(table)

    step("validate", validate_inputs)
    step("execute", execute)
    step("editions", build_editions)
    PUBLISHED_INPUTS.unlink(missing_ok=True)  # never left naming inputs the site was not built from
    step("audit", audit)
    step("publish", lambda: publish(table))
    PUBLISHED_INPUTS.write_text(inputs)
    times = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
    print(f"Built {SITE}: open {SITE / 'index.html'}; the logs are in {LOGS} ({times}).")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fresh", action="store_true", help="run every notebook again, ignoring the execution cache")
    arguments = parser.parse_args(argv)
    before = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}
    try:
        return built(fresh=arguments.fresh)
    except (Stopped, KeyboardInterrupt) as stop:  # a signal in the instant the build began to say how it ended
        return 128 + getattr(stop, "signum", signal.SIGINT)
    finally:
        # As they were (for a caller in the same process), but never the handler of a build that
        # has not begun: this one has ended, and a signal now changes nothing.
        for signum, handler in before.items():
            signal.signal(signum, signal.SIG_IGN if handler is stopped_before_start else handler)


def built(fresh: bool) -> int:
    """Build, and say how the build ended: its exit status. Once it has ended, a stop signal
    changes nothing and is ignored."""
    try:
        # Inside the try: a Ctrl-C the moment its handler is in place is caught here too, not by
        # Python, which would end the process by the signal with a traceback.
        for signum in STOP_SIGNALS:
            signal.signal(signum, raise_stopped)
        check_memory_limit()
        with build_lock():
            build(fresh=fresh)
        ignore_stop_signals()
        return 0
    except BuildError as error:
        return ended(1, f"FAILED {in_step()}: {error}")
    except (Stopped, KeyboardInterrupt) as stop:  # KeyboardInterrupt: SIGINT where Python's handler is in place
        stop = stop if isinstance(stop, Stopped) else Stopped(signal.SIGINT)
        return ended(128 + stop.signum, f"STOPPED by {stop.args[0]} {in_step()}; {processes_left()}")
    except MemoryError:
        return ended(1, f"FAILED {in_step()}: not enough memory.{memory_note()}")
    except OSError as error:
        return ended(1, f"FAILED {in_step()}: {fault(error)}")
    except Exception as error:  # a library that cannot load under a memory limit (ImportError, SystemError), or a bug
        said = f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}"
        cause = memory_note() or f" An error in the build itself: {logged_traceback()}"
        return ended(1, f"FAILED {in_step()}: {printable(said[:300]).rstrip('.')}.{cause}")


def ended(status: int, how: str) -> int:
    """Say how the build ended and what it kept, with stop signals ignored (one now would break the
    message off); its exit status."""
    ignore_stop_signals()
    print(f"\nBUILD {how}\n{what_was_kept()}", file=sys.stderr)
    return status


#: Below this much memory no build succeeded (measured as an address-space limit, `ulimit -v`:
#: every build under 800 MB failed, on two cores with the notebooks cached).
MINIMUM_MEMORY = 768 * 2**20


def memory_limit() -> int | None:
    """The memory this process and each it starts may use (`ulimit -v`, `ulimit -d`, `prlimit`), in
    bytes; None when it is not limited."""
    import resource

    limits = [resource.getrlimit(kind)[0] for kind in (resource.RLIMIT_AS, resource.RLIMIT_DATA)]
    return min((limit for limit in limits if limit != resource.RLIM_INFINITY), default=None)


def check_memory_limit() -> None:
    """Refuse at once under a memory limit no build fits in: the libraries then fail as they load,
    some of them (OpenBLAS, polars' allocator) ending the process in words of their own."""
    limit = memory_limit()
    if limit is not None and limit < MINIMUM_MEMORY:
        raise BuildError(
            f"this build may use at most {amount(limit)} of memory (ulimit -v), and a build needs more than "
            f"{amount(MINIMUM_MEMORY)}: raise the limit (ulimit -v unlimited) and build again"
        )


def memory_note() -> str:
    """A sentence naming the memory limit, when there is one: the likely cause of a failure."""
    limit = memory_limit()
    return "" if limit is None else f" This build may use at most {amount(limit)} of memory (ulimit -v), the likely cause: raise the limit and build again."


def amount(size: int) -> str:
    """A number of bytes in words: '2.0 GB', '300 MB', '0.2 MB'."""
    return f"{size / 2**30:.1f} GB" if size >= 2**30 else f"{size / 2**20:.{0 if size >= 10 * 2**20 else 1}f} MB"


def logged_traceback() -> str:
    """Where the current exception's traceback was written, in words."""
    import traceback

    log = LOGS / "build.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(traceback.format_exc(), encoding="utf-8")
    except OSError as error:
        return f"its traceback could not be written ({fault(error)})."
    return f"its traceback is in {printable(log)}."


def fault(error: OSError) -> str:
    """What a fault of the machine was, in words: a full disk and a missing permission by name."""
    where = f" ({printable(error.filename)})" if error.filename else ""
    if error.errno == errno.ENOSPC:
        return f"no space left on the device{where}; free some and build again"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"no permission to write{where}; build as a user who may write in {printable(BUILD)}"
    return f"{printable(error.strerror or error)}{where}"


def what_was_kept() -> str:
    """Which site is published now, as the link says (checked, not assumed)."""
    try:
        target = SITE.resolve(strict=True)
    except OSError:
        return "No site is published yet."
    if progress["release"] is not None and target == Path(progress["release"]).resolve():
        return f"The new site was published in {printable(SITE)} before that."
    return f"The previously built site in {printable(SITE)} is left as it was."


def processes_left() -> str:
    """Whether every process the build started has ended, as the lock tells: each of them, the
    notebooks' kernels included, holds it until it ends."""
    try:
        descriptor = os.open(LOCK, os.O_RDWR)
    except OSError:
        return "it started no process that could still run."
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return "every process it started has ended."
    except BlockingIOError:
        return "some processes it started are still ending, and hold the build lock until they have."
    finally:
        os.close(descriptor)


def in_step() -> str:
    """Where the build was, in words: 'before its first step', 'in its execute step', 'after its
    editions step'."""
    if progress["step"] is None:
        return f"after its {progress['finished']} step"
    return "before its first step" if progress["step"] == "start" else f"in its {progress['step']} step"


if __name__ == "__main__":
    raise SystemExit(main())
