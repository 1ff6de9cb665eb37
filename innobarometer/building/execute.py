"""Execute the book's notebooks into the execution caches, all at once: `python -m innobarometer.building.execute NB...`.

Each edition runs the notebooks in its language (INNOBAROMETER_LANGUAGE in the kernel's
environment) into its own cache. myst-nb's cache mode would run each notebook while Sphinx reads
it, one after another; here every run missing from a cache goes at the same time, each in its own
kernel, and myst-nb then finds them all in the caches (jupyter-cache matches a notebook by its
code cells). The kernels talk
to this process over IPC (Unix sockets in a folder of their own) rather than TCP: there are no
ports to pick, so kernels started together cannot collide, and nothing travels unencrypted over
the network.

Prints one line per notebook as it finishes; a failing notebook is named with its cell, its file
line and the error, the traceback going to stderr (the build's log). When every notebook has run,
the statistics they recorded are collected into one file (`record_statistics`).
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from innobarometer.paths import EXECUTION_TIMEOUT, RECORDED_STATISTICS, ROOT, execution_cache
from innobarometer.text.escape import printable
from innobarometer.text.language import DANISH, LANGUAGE_ENV, LANGUAGES

ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: The temporary folders of the kernels' sockets: the prefix, then the executor's process id.
SOCKETS_PREFIX = "innobarometer-kernel-"
#: The environment variable with the build lock's descriptor, which the kernels inherit.
LOCK_FD = "INNOBAROMETER_LOCK_FD"


@dataclass
class Failure:
    """Where a notebook stopped and why: its cell's first file line and the error in one line."""

    line: int | None
    error: str
    traceback: str


def read_notebook(path: Path):
    """The notebook as myst-nb reads it (its cells' file lines in metadata['source_map'])."""
    from myst_nb.core.read import read_myst_markdown_notebook

    return read_myst_markdown_notebook(path.read_text(encoding="utf-8"), add_source_map=True)


class UnreadableCache(Exception):
    """The execution cache's database cannot be read; what was wrong, in words."""


def damaged_cache_entries(cache: Path) -> list[tuple[int, str]]:
    """The cache's entries whose executed notebook cannot be read, as (primary key, notebook):
    jupyter-cache records an entry before it writes its notebook, so a write that was
    interrupted (a kill, a full disk) leaves an entry that every later read fails on.

    Read with the standard library, so that a build that finds its notebooks in the cache need not
    import jupyter-cache. Raises UnreadableCache when the database itself cannot be read.
    """
    import json
    import sqlite3

    database = cache / "global.db"
    if not database.exists():
        return []
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
            checked = connection.execute("PRAGMA quick_check").fetchone()[0]
            if checked != "ok":
                raise UnreadableCache(checked)
            entries = connection.execute("SELECT pk, hashkey, uri FROM nbcache").fetchall()
    except sqlite3.Error as error:
        raise UnreadableCache(str(error)) from None
    damaged = []
    for key, hashkey, uri in entries:
        try:
            json.loads((cache / "executed" / hashkey / "base.ipynb").read_bytes())
        except (OSError, ValueError):
            damaged.append((key, uri))
    return damaged


def drop_cache_entries(cache: Path, keys: list[int]) -> None:
    from jupyter_cache import get_cache

    opened = get_cache(str(cache))
    for key in keys:
        opened.remove_cache(key)


def missing_from_cache(paths: list[Path]) -> list[tuple[Path, str]]:
    """The runs (notebook, language) whose code cells the language's execution cache has no run of."""
    from jupyter_cache import get_cache

    missing = []
    for language in LANGUAGES:
        cache = get_cache(str(execution_cache(language)))
        for path in paths:
            try:
                cache.match_cache_notebook(read_notebook(path))
            except KeyError:
                missing.append((path, language))
    return missing


#: What the kernel runs between two editions' runs of a notebook: the next edition's language,
#: and nothing kept of the run before but the imported modules (a second kernel would spend about
#: two seconds importing them again).
NEXT_EDITION = """
import os
os.environ[{env!r}] = {language!r}
get_ipython().run_line_magic("reset", "-f")
get_ipython().execution_count = 1
"""


async def executed(path: Path, languages: list[str], timeout: int, on_start=lambda: None) -> dict:
    """Run a notebook in a fresh kernel in its own folder, once in each language, one after the
    other; the notebook with its outputs, or a Failure (which ends the runs), by language.

    `on_start` is called once the kernel has started."""
    import copy

    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    written = read_notebook(path)
    results = {}
    with tempfile.TemporaryDirectory(prefix=f"{SOCKETS_PREFIX}{os.getpid()}-") as sockets:
        manager = AsyncKernelManager(
            kernel_name=written.metadata.get("kernelspec", {}).get("name", "python3"),
            transport="ipc",
            connection_file=str(Path(sockets) / "kernel.json"),  # the sockets are named after it
        )
        client = NotebookClient(
            written, km=manager, timeout=timeout, allow_errors=False, record_timing=False,  # no timestamps: the same bytes every run
            resources={"metadata": {"path": str(path.parent)}},
            shutdown_kernel="immediate",  # its outputs are in; waiting for a graceful end only delays a stop
            on_notebook_start=lambda **_: on_start(),  # nbclient has just put its own signal handlers in place
        )
        try:
            for number, language in enumerate(languages):
                notebook = client.nb = copy.deepcopy(written)
                try:
                    if number:
                        reply = await client.async_wait_for_reply(client.kc.execute(NEXT_EDITION.format(env=LANGUAGE_ENV, language=language), store_history=False))
                        if reply is None or reply["content"]["status"] != "ok":
                            raise RuntimeError(f"the kernel could not change to the {language} edition")
                    # The kernel holds the build's lock too, so the lock is free only when it has ended.
                    await client.async_execute(
                        env=os.environ | {LANGUAGE_ENV: language},
                        **({"pass_fds": (int(os.environ[LOCK_FD]),)} if os.environ.get(LOCK_FD) else {}),
                    )
                    results[language] = notebook
                except CellExecutionError as error:
                    index = next((i for i, cell in enumerate(notebook.cells) if cell.get("outputs") and any(o.get("output_type") == "error" for o in cell.outputs)), None)
                    line = notebook.metadata["source_map"][index] + 1 if index is not None else None
                    results[language] = Failure(line, f"{error.ename}: {error.evalue}", ANSI.sub("", str(error)))
                    break
                except Exception as error:  # a kernel that died or timed out, an invalid output: one line here, the rest in the log
                    results[language] = Failure(None, f"{type(error).__name__}: {str(error).splitlines()[0][:200] if str(error) else ''}", ANSI.sub("", repr(error)))
                    break
        finally:
            if manager.has_kernel:
                await manager.shutdown_kernel(now=True)
    return results


async def execute_all(runs: list[tuple[Path, str]], timeout: int) -> int:
    """Execute the runs (notebook, language) at once, each notebook's in one kernel, as many
    notebooks at once as there are cores; the exit status.

    SIGTERM or SIGINT (the build stopped) cancels every notebook at once: running ones have their
    kernels killed and their socket folders removed, waiting ones never start, and nothing is said
    about a notebook that did not fail. nbclient puts handlers of its own on these signals (they
    clean up one notebook's kernel and let the others go on), so this one is put back each time.
    """
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    caches = {language: get_cache(str(execution_cache(language))) for language in LANGUAGES}
    languages: dict[Path, list[str]] = {}
    for path, language in runs:
        languages.setdefault(path, []).append(language)
    started = time.perf_counter()
    failed = 0
    cores = asyncio.Semaphore(os.cpu_count() or 1)  # more kernels than cores only contend
    loop = asyncio.get_running_loop()
    stopped: list[int] = []

    def stop(signum: int) -> None:
        stopped.append(signum)
        for task in tasks:
            task.cancel()

    def handle_signals() -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop, signum)

    async def run(path: Path):
        async with cores:
            try:
                return path, await executed(path, languages[path], timeout, on_start=handle_signals), time.perf_counter() - started
            finally:
                handle_signals()  # nbclient removed its handlers, and so ours, when the notebook ended

    handle_signals()
    tasks = [asyncio.ensure_future(run(path)) for path in languages]
    done = 0
    for outcome in asyncio.as_completed(tasks):
        try:
            path, results, seconds = await outcome
        except asyncio.CancelledError:
            break
        if stopped:
            break  # nbclient reports a cancelled cell as "Kernel died": it did not fail
        for language, result in results.items():
            name = printable(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path) + f" [{language}]"
            if isinstance(result, Failure):
                failed += 1
                where = f", the cell at file line {result.line}" if result.line else ""
                print(f"execute  {name} failed{where}: {printable(result.error)}", flush=True)
                print(f"{name}:\n{result.traceback}", file=sys.stderr, flush=True)
                continue
            done += 1
            caches[language].cache_notebook_bundle(CacheBundleIn(result, str(path), data={"execution_seconds": seconds}), check_validity=False, overwrite=True)
            print(f"execute  {name} ({done}/{len(runs)})  {seconds:.1f} s", flush=True)
    if stopped:
        await asyncio.gather(*tasks, return_exceptions=True)  # every kernel killed, every folder gone
        return 128 + stopped[0]
    return 3 if failed else 0


def remove_stale_socket_folders() -> None:
    """Socket folders of executors that were killed (SIGKILL leaves them): their process is gone."""
    for folder in Path(tempfile.gettempdir()).glob(f"{SOCKETS_PREFIX}*-*"):
        pid = folder.name.removeprefix(SOCKETS_PREFIX).split("-")[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(folder, ignore_errors=True)


def record_statistics(paths: list[Path]) -> None:
    """Collect the statistics the notebooks recorded, from their runs in the Danish execution
    cache, into RECORDED_STATISTICS (the statistics are the same in every edition)."""
    from jupyter_cache import get_cache

    from innobarometer.estimates import statistics_record

    cache = get_cache(str(execution_cache(DANISH)))
    executed = {}
    for path in paths:
        name = (path.relative_to(ROOT) if path.is_relative_to(ROOT) else path).with_suffix("").as_posix()
        executed[name] = cache.get_cache_bundle(cache.match_cache_notebook(read_notebook(path)).pk).nb
    statistics_record.write(statistics_record.collect(executed), RECORDED_STATISTICS)


def main(arguments: list[str]) -> int:
    remove_stale_socket_folders()
    paths = [Path(a).resolve() for a in arguments]
    runs = missing_from_cache(paths)
    status = asyncio.run(execute_all(runs, EXECUTION_TIMEOUT)) if runs else 0
    if status == 0:
        record_statistics(paths)
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
