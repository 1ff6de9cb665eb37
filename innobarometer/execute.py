"""Execute the book's notebooks into the execution cache, all at once: `python -m innobarometer.execute NB...`.

myst-nb's cache mode would run each notebook while Sphinx reads it, one after another; here every
notebook missing from the cache runs at the same time, each in its own kernel, and myst-nb then
finds them all in the cache (jupyter-cache matches a notebook by its code cells). The kernels talk
to this process over IPC (Unix sockets in a folder of their own) rather than TCP: there are no
ports to pick, so kernels started together cannot collide, and nothing travels unencrypted over
the network.

Prints one line per notebook as it finishes; a failing notebook is named with its cell, its file
line and the error, the traceback going to stderr (the build's log).
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from innobarometer.escape import printable
from innobarometer.paths import EXECUTION_CACHE, EXECUTION_TIMEOUT, ROOT

ANSI = re.compile(r"\x1b\[[0-9;]*m")


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


def missing_from_cache(paths: list[Path]) -> list[Path]:
    """The notebooks whose code cells the execution cache has no run of."""
    from jupyter_cache import get_cache

    cache = get_cache(str(EXECUTION_CACHE))
    missing = []
    for path in paths:
        try:
            cache.match_cache_notebook(read_notebook(path))
        except KeyError:
            missing.append(path)
    return missing


async def executed(path: Path, timeout: int):
    """Run a notebook in a fresh kernel in its own folder; the notebook with its outputs, or a Failure."""
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = read_notebook(path)
    with tempfile.TemporaryDirectory(prefix="innobarometer-kernel-") as sockets:
        manager = AsyncKernelManager(
            kernel_name=notebook.metadata.get("kernelspec", {}).get("name", "python3"),
            transport="ipc",
            connection_file=str(Path(sockets) / "kernel.json"),  # the sockets are named after it
        )
        client = NotebookClient(
            notebook, km=manager, timeout=timeout, allow_errors=False, record_timing=False,  # no timestamps: the same bytes every run
            resources={"metadata": {"path": str(path.parent)}},
        )
        try:
            await client.async_execute()
        except CellExecutionError as error:
            index = next((i for i, cell in enumerate(notebook.cells) if cell.get("outputs") and any(o.get("output_type") == "error" for o in cell.outputs)), None)
            line = notebook.metadata["source_map"][index] + 1 if index is not None else None
            return Failure(line, f"{error.ename}: {error.evalue}", ANSI.sub("", str(error)))
        except Exception as error:  # a kernel that died or timed out, an invalid output: one line here, the rest in the log
            return Failure(None, f"{type(error).__name__}: {str(error).splitlines()[0][:200] if str(error) else ''}", ANSI.sub("", repr(error)))
        finally:
            if manager.has_kernel:
                await manager.shutdown_kernel()
    return notebook


async def execute_all(paths: list[Path], timeout: int) -> int:
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(EXECUTION_CACHE))
    started = time.perf_counter()
    failed = 0
    cores = asyncio.Semaphore(os.cpu_count() or 1)  # more kernels than cores only contend

    async def run(path: Path):
        async with cores:
            return path, await executed(path, timeout), time.perf_counter() - started

    for done, outcome in enumerate(asyncio.as_completed([run(p) for p in paths]), start=1):
        path, result, seconds = await outcome
        name = printable(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        if isinstance(result, Failure):
            failed += 1
            where = f", the cell at file line {result.line}" if result.line else ""
            print(f"execute  {name} failed{where}: {printable(result.error)}", flush=True)
            print(f"{name}:\n{result.traceback}", file=sys.stderr, flush=True)
            continue
        cache.cache_notebook_bundle(CacheBundleIn(result, str(path), data={"execution_seconds": seconds}), check_validity=False, overwrite=True)
        print(f"execute  {name} ({done}/{len(paths)})  {seconds:.1f} s", flush=True)
    return 3 if failed else 0


def main(arguments: list[str]) -> int:
    paths = missing_from_cache([Path(a).resolve() for a in arguments])
    if not paths:
        return 0
    return asyncio.run(execute_all(paths, EXECUTION_TIMEOUT))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
