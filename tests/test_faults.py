"""Faults a machine can cause: the build ends with a message that says what happened, where and
what was kept, never a traceback, and the next build recovers with no manual step.

The cases here need no whole build: they run against the repository itself (stopping before
anything is written) or a private build folder. test_build_integrity.py holds the lock and a
publish interrupted at each of its renames. test_build.py brings faults upon whole builds of the
other book: SIGINT and SIGKILL in their steps and a disk that fills up (a tmpfs), each followed by
the build that recovers.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from innobarometer.building import build, execute
from innobarometer.paths import ROOT

from test_build_integrity import private_build, running, stage, statistics_of  # noqa: F401  (a fixture and helpers)


def run_build(*, env: dict | None = None, user: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "innobarometer.building.build"]
    if user:
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
    return subprocess.run(command, cwd=ROOT, env=os.environ | (env or {}), capture_output=True, text=True, timeout=timeout)


def test_a_fault_of_the_machine_is_named_with_the_step_and_what_was_kept(private_build, monkeypatch, capsys):
    faults = {
        "no space left on the device": OSError(errno.ENOSPC, "No space left on device", "/x/_build/statistics.tmp"),
        "no permission to write": PermissionError(errno.EACCES, "Permission denied", "/x/_build/build.lock"),
        "not enough memory": MemoryError(),
    }
    for message, error in faults.items():
        def failing(fresh=False, error=error):
            build.progress["step"] = "publish"
            raise error

        monkeypatch.setattr(build, "build", failing)
        assert build.main([]) == 1
        said = capsys.readouterr().err
        assert message in said and "in its publish step" in said and "No site is published yet." in said
        assert "Traceback" not in said


def test_a_stop_after_the_new_site_was_published_says_so(private_build, monkeypatch, capsys):
    stage(private_build, "old")
    build.publish(statistics_of(0.1))
    stage(private_build, "new")

    def published_then_stopped(fresh=False):
        build.publish(statistics_of(0.2))
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "build", published_then_stopped)
    assert build.main([]) == 128 + signal.SIGINT
    assert "The new site was published in" in capsys.readouterr().err


@pytest.mark.parametrize("between, step", [("invalidate_stale_cache", "execute"), ("publishable_statistics", "audit")])
def test_a_stop_between_two_steps_lines_names_the_step_that_was_starting(private_build, monkeypatch, capsys, between, step):
    # what runs after a step's line and before the next step's: the cache's check, the statistics' collection
    for done in ("validate_inputs", "execute_notebooks", "build_editions"):
        monkeypatch.setattr(build, done, lambda: "done")

    def stopped():
        raise KeyboardInterrupt

    monkeypatch.setattr(build, between, stopped)
    assert build.main([]) == 128 + signal.SIGINT
    assert f"BUILD STOPPED by SIGINT in its {step} step" in capsys.readouterr().err


def test_a_stop_as_a_step_s_line_is_printed_says_it_came_after_that_step(private_build, monkeypatch, capsys):
    # printing the line wakes whoever reads it, who may stop the build before it takes another step
    monkeypatch.setattr(build, "validate_inputs", lambda: "done")

    def printed(*args, **kwargs):
        if args and str(args[0]).startswith("validate "):
            raise KeyboardInterrupt
        print(*args, **kwargs)

    monkeypatch.setattr(build, "print", printed, raising=False)
    assert build.main([]) == 128 + signal.SIGINT
    assert "BUILD STOPPED by SIGINT after its validate step" in capsys.readouterr().err


def test_a_step_that_fails_is_named_in_the_message(private_build, monkeypatch, capsys):
    for done in ("validate_inputs", "execute_notebooks"):
        monkeypatch.setattr(build, done, lambda: "done")
    monkeypatch.setattr(build, "invalidate_stale_cache", lambda: False)

    def failing():
        raise build.BuildError("jupyter-book build of the da edition failed")

    monkeypatch.setattr(build, "build_editions", failing)
    assert build.main([]) == 1
    assert "BUILD FAILED in its editions step: jupyter-book build of the da edition failed" in capsys.readouterr().err


def test_a_full_disk_in_a_step_s_log_is_named_before_anything_else(tmp_path):
    log = tmp_path / "edition-da.log"
    log.write_text("! I can't write on file `organiser-smartere.pdf'.\n! Emergency stop.\nxdvipdfmx:fatal: No space left on device\n")
    assert build.problems_in(log).startswith("  no space left on the device")


def test_a_step_s_log_that_could_not_be_written_is_said_to_hold_nothing(tmp_path):
    (tmp_path / "edition-da.log").write_text("")  # a full disk: not even the error could be written
    assert build.problems_in(tmp_path / "edition-da.log") == "  (nothing in its log)"


def test_a_device_with_space_left_is_not_said_to_be_full(private_build):
    # the full one: test_build.py fills a tmpfs under a whole build
    private_build.mkdir()
    assert build.disk_full() == ""


def test_a_microdata_file_too_large_for_memory_is_refused_by_name(monkeypatch, tmp_path):
    import innobarometer.data.microdata as microdata

    data = tmp_path / "enormous.csv"
    data.write_text("x")
    monkeypatch.setenv("INNOBAROMETER_DATA", str(data))

    def out_of_memory(path=None):
        raise MemoryError

    monkeypatch.setattr(microdata, "load_microdata", out_of_memory)
    with pytest.raises(build.BuildError, match="enormous.csv .* does not fit in the memory"):
        build.validate_inputs()


def test_a_damaged_cache_entry_is_dropped_and_said_and_an_unreadable_cache_cleared(tmp_path, monkeypatch, capsys):
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    import nbformat

    cache_folder = tmp_path / "cache-da"  # the Danish edition's; the English one's is empty
    monkeypatch.setattr(build, "execution_cache", lambda language: tmp_path / f"cache-{language}")
    monkeypatch.setattr(build, "EXECUTED_STAMP", cache_folder / "executed-notebooks.sha256")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    get_cache(str(cache_folder)).cache_notebook_bundle(CacheBundleIn(notebook, str(ROOT / "notebooks" / "innovationstyper.md")), check_validity=False)
    [cached] = list((cache_folder / "executed").glob("*/base.ipynb"))
    cached.write_text(cached.read_text()[:40])  # a write that was cut off
    build.heal_execution_cache()
    assert "entry for notebooks/innovationstyper.md could not be read: dropped" in capsys.readouterr().out
    assert get_cache(str(cache_folder)).list_cache_records() == []

    (cache_folder / "global.db").write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    build.heal_execution_cache()
    assert "could not be read" in capsys.readouterr().out and not cache_folder.exists()


def test_a_library_that_cannot_load_under_a_memory_limit_is_named_with_the_limit(private_build, monkeypatch, capsys):
    # as polars and pandas fail under `ulimit -v`: not a MemoryError, an ImportError or a SystemError
    def failing(fresh=False):
        build.progress["step"] = "audit"
        raise ImportError("missing.cpython-311-x86_64-linux-gnu.so: failed to map segment from shared object")

    monkeypatch.setattr(build, "build", failing)
    monkeypatch.setattr(build, "memory_limit", lambda: 2**31)
    assert build.main([]) == 1
    said = capsys.readouterr().err
    assert "BUILD FAILED in its audit step: ImportError: missing.cpython-311-x86_64-linux-gnu.so: failed to map segment" in said
    assert "may use at most 2.0 GB of memory (ulimit -v)" in said and "Traceback" not in said


def test_an_error_in_the_build_itself_is_one_line_with_its_traceback_in_a_log(private_build, monkeypatch, capsys):
    monkeypatch.setattr(build, "LOGS", private_build / "logs")
    monkeypatch.setattr(build, "memory_limit", lambda: None)

    def failing(fresh=False):
        build.progress["step"] = "publish"
        raise KeyError("a bug")

    monkeypatch.setattr(build, "build", failing)
    assert build.main([]) == 1
    said = capsys.readouterr().err
    assert f"BUILD FAILED in its publish step: KeyError: 'a bug'. An error in the build itself: its traceback is in {private_build / 'logs' / 'build.log'}" in said
    assert "Traceback" not in said and "Traceback" in (private_build / "logs" / "build.log").read_text()


def kernels_of(pid: int) -> set[int]:
    """The kernels a process started (other builds on the machine have kernels of their own)."""
    return set(map(int, subprocess.run(["pgrep", "-P", str(pid), "-f", "ipykernel_launcher"], capture_output=True, text=True).stdout.split()))


def test_a_stopped_execution_ends_within_two_seconds_with_no_kernel_no_folder_and_no_failure_said(tmp_path):
    # a notebook no cache holds: its kernel is busy when the build stops the executor
    notebook, running_cell = tmp_path / "slow.md", tmp_path / "running"
    notebook.write_text(
        "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
        "kernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n---\n\n"
        f"```{{code-cell}} ipython3\nimport pathlib, time\npathlib.Path({str(running_cell)!r}).touch()\ntime.sleep(60)\n```\n"
    )
    executor = subprocess.Popen(
        [sys.executable, "-m", "innobarometer.building.execute", str(notebook)], cwd=ROOT, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 60
    while not running_cell.exists():  # the kernel runs the cell (a stop while nbclient starts a kernel is nbclient's)
        assert time.monotonic() < deadline and executor.poll() is None, executor.communicate()
        time.sleep(0.1)
    kernels = kernels_of(executor.pid)
    assert kernels
    started = time.monotonic()
    os.killpg(executor.pid, signal.SIGTERM)  # as the build stops a step
    out, err = executor.communicate(timeout=30)
    assert time.monotonic() - started < 2
    assert executor.returncode == 128 + signal.SIGTERM and "failed" not in out and "Traceback" not in err
    time.sleep(0.2)
    assert not [kernel for kernel in kernels if running(kernel)]
    assert not list(Path(tempfile.gettempdir()).glob(f"{execute.SOCKETS_PREFIX}{executor.pid}-*"))


def test_socket_folders_of_a_killed_executor_are_removed_by_the_next(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.Popen(["true"])
    dead.wait()  # a process id that no longer runs
    stale, alive = tmp_path / f"{execute.SOCKETS_PREFIX}{dead.pid}-abc", tmp_path / f"{execute.SOCKETS_PREFIX}{os.getpid()}-def"
    stale.mkdir()
    alive.mkdir()
    execute.remove_stale_socket_folders()
    assert not stale.exists() and alive.exists()


@pytest.mark.book
@pytest.mark.parametrize("after", [0.01, 0.05, 0.15, 0.4])
def test_ctrl_c_while_the_build_starts_prints_no_traceback(after):
    # as `make book` starts it: SIGINT ignored until the build's handler is in place
    process = subprocess.Popen(
        [sys.executable, "-m", "innobarometer.building.build"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    time.sleep(after)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    # stopped by the build's handler (130), or the signal came before it and the build went on (0)
    assert process.returncode in (0, 128 + signal.SIGINT) and "Traceback" not in err + out


@pytest.mark.book
def test_a_build_under_a_memory_limit_no_build_fits_in_is_refused_before_it_begins():
    import resource

    limit = 256 * 2**20  # as `ulimit -v 262144`: OpenBLAS, loaded with pandas, ended such builds in its own words
    before = build.SITE.resolve()
    result = subprocess.run(
        [sys.executable, "-m", "innobarometer.building.build"], cwd=ROOT, capture_output=True, text=True, timeout=60,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit)),
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr + result.stdout
    assert "BUILD FAILED before its first step: this build may use at most 256 MB of memory (ulimit -v)" in result.stderr
    assert "left as it was" in result.stderr and build.SITE.resolve() == before


@pytest.mark.book
def test_a_build_without_permission_to_write_says_so(tmp_path):
    if shutil.which("setpriv") is None or os.getuid() != 0:
        pytest.skip("needs setpriv and root, to build as another user (nobody)")
    result = run_build(user="65534")
    assert result.returncode == 1 and "no permission to write" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.book
def test_a_microdata_file_whose_name_is_not_utf8_is_named_and_the_lock_written(tmp_path):
    name = os.fsdecode(b"eksport-\xff\xfe.csv")
    data = tmp_path / name
    data.write_text("respondent_id\nR1\n", encoding="utf-8")  # invalid: the build stops at validation
    result = run_build(env={"INNOBAROMETER_DATA": str(data)})
    assert result.returncode == 1 and "Traceback" not in result.stderr and "UnicodeEncodeError" not in result.stderr
    assert "eksport-" in result.stderr and "\\udcff" in (ROOT / "_build" / "build.lock").read_text()
