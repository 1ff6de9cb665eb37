"""Build integrity without building: one build at a time, a stopped build stops everything it
started, and publishing swaps site and statistics together or not at all."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from innobarometer.building import build
from innobarometer.paths import ROOT, SYNTHETIC_MICRODATA, pdf_name


def wait_for(path: Path, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().endswith("\n"):
            return path.read_text()
        time.sleep(0.05)
    pytest.fail(f"{path} was not written within {timeout} s")


def running(pid: int) -> bool:
    """Whether a process exists and is not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def python(script: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(script), *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def private_build(tmp_path, monkeypatch):
    """The build's folders moved into a temporary folder."""
    folder = tmp_path / "_build"
    for name, path in {
        "BUILD": folder,
        "LOCK": folder / "build.lock",
        "SITE": folder / "html",
        "RELEASES": folder / "releases",
        "STATISTICS": folder / "statistics.csv",
        "PUBLISHED_INPUTS": folder / "published-inputs.sha256",
        "PUBLISHED_FILES": folder / "published-files.sha256",
        "STAGED_HTML": folder / "site" / "_build" / "html",
    }.items():
        monkeypatch.setattr(build, name, path)
    monkeypatch.setattr(build, "progress", {"step": "start", "finished": None, "release": None})
    return folder


def test_a_second_build_refuses_at_once_naming_the_running_one():
    with build.build_lock():
        result = subprocess.run([sys.executable, "-m", "innobarometer.building.build"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"another build is running in {ROOT} (process {os.getpid()}, started" in result.stderr
    assert "left as it was" in result.stderr and "Traceback" not in result.stderr


def test_the_lock_is_free_again_when_a_build_is_killed(private_build, tmp_path):
    ready = tmp_path / "ready"
    holder = python(
        f"""
        from pathlib import Path
        import time
        from innobarometer.building import build
        build.BUILD, build.LOCK = Path({str(private_build)!r}), Path({str(private_build / "build.lock")!r})
        with build.build_lock():
            Path({str(ready)!r}).write_text("locked\\n")
            time.sleep(60)
        """
    )
    wait_for(ready)
    with pytest.raises(build.BuildError, match=f"process {holder.pid}"):
        with build.build_lock():
            pass
    holder.kill()
    holder.wait()
    with build.build_lock():
        pass


def test_processes_a_killed_build_started_keep_the_lock_until_they_end(private_build, tmp_path):
    pids = tmp_path / "pids"
    holder = python(
        f"""
        import sys
        from pathlib import Path
        from innobarometer.building import build
        build.BUILD, build.LOCK = Path({str(private_build)!r}), Path({str(private_build / "build.lock")!r})
        child = "import os, time; open({str(pids)!r}, 'w').write(str(os.getpid()) + chr(10)); time.sleep(60)"
        with build.build_lock():
            build.run_step([sys.executable, "-c", child], {{}}, Path({str(tmp_path / "step.log")!r}))
        """
    )
    child = int(wait_for(pids))
    holder.kill()  # SIGKILL: the build cannot stop its children
    holder.wait()
    try:
        with pytest.raises(build.BuildError, match="it has ended but processes it started are still running"):
            with build.build_lock():
                pass
    finally:
        os.killpg(child, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    with build.build_lock():
        pass


def test_a_stopped_build_stops_every_process_its_step_started(tmp_path):
    pids = tmp_path / "pids"
    step = (
        "import os, subprocess, sys, time; "
        "grandchild = subprocess.Popen(['sleep', '60']); "
        f"open({str(pids)!r}, 'w').write(f'{{os.getpid()}} {{grandchild.pid}}' + chr(10)); time.sleep(60)"
    )
    parent = python(
        """
        import signal, sys
        from innobarometer.building import build
        signal.signal(signal.SIGTERM, build.raise_stopped)
        try:
            build.run_step([sys.executable, "-c", sys.argv[1]], {}, build.LOGS / "test-step.log")
        except build.Stopped:
            sys.exit(143)
        """,
        step,
    )
    child, grandchild = map(int, wait_for(pids).split())
    parent.send_signal(signal.SIGTERM)
    assert parent.wait(timeout=30) == 143
    deadline = time.monotonic() + 10
    while (running(child) or running(grandchild)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not running(child) and not running(grandchild)


def test_steps_run_together_run_at_once(tmp_path):
    # The first waits for a file only the second writes: run one after the other, it would fail.
    first = f"import pathlib, sys, time; [time.sleep(0.05) for _ in range(600) if not pathlib.Path({str(tmp_path / 'b')!r}).exists()]; sys.exit(not pathlib.Path({str(tmp_path / 'b')!r}).exists())"
    second = f"import pathlib; pathlib.Path({str(tmp_path / 'b')!r}).write_text('')"
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    assert build.run_steps([[sys.executable, "-c", first], [sys.executable, "-c", second]], {}, logs) == [0, 0]


def test_steps_run_together_write_each_its_own_log_and_nothing_to_the_terminal(tmp_path, capfd):
    # Each prints a line, waits, then prints another (one of them as an error): in one log they would mix.
    command = "import sys, time; print(sys.argv[1] + ' starts', flush=True); time.sleep(0.5); print(sys.argv[1] + ' ends', file=sys.stderr)"
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    build.run_steps([[sys.executable, "-c", command, "first"], [sys.executable, "-c", command, "second"]], {}, logs)
    assert [log.read_text() for log in logs] == ["first starts\nfirst ends\n", "second starts\nsecond ends\n"]
    assert capfd.readouterr() == ("", "")


def test_a_failed_steps_problems_are_named_each_once(tmp_path):
    log = tmp_path / "html-da.log"
    log.write_text("reading sources...\n\x1b[91m/book/a.md:3: WARNING: unknown target\x1b[39;49;00m\nwriting\n/book/a.md:3: WARNING: unknown target\n")
    assert build.problems_in(log) == "  /book/a.md:3: WARNING: unknown target"


def published_site(private_build: Path, monkeypatch) -> None:
    """A published site whose inputs are those of the next build."""
    stage(private_build, "page")
    build.publish(statistics_of(0.1))
    build.PUBLISHED_INPUTS.write_text("the inputs")
    monkeypatch.setattr(build, "site_inputs_digest", lambda: "the inputs")


def test_a_build_whose_inputs_are_the_published_sites_does_nothing(private_build, monkeypatch, capsys):
    published_site(private_build, monkeypatch)
    monkeypatch.setattr(build, "validate_inputs", lambda: pytest.fail("the build went on"))
    build.build()
    assert "Nothing changed" in capsys.readouterr().out


@pytest.mark.parametrize("damage", ["deleted", "truncated"])
def test_a_published_site_that_is_damaged_is_built_again_though_nothing_changed(private_build, monkeypatch, capsys, damage):
    published_site(private_build, monkeypatch)
    statistics_file = build.SITE / "statistics.csv"
    statistics_file.unlink() if damage == "deleted" else statistics_file.write_text("id")
    monkeypatch.setattr(build, "validate_inputs", lambda: (_ for _ in ()).throw(build.BuildError("the build went on")))
    with pytest.raises(build.BuildError, match="the build went on"):
        build.build()
    assert "it is damaged (statistics.csv missing or changed): building it again" in capsys.readouterr().out


def stage(private_build: Path, page: str, err_log: bool = False) -> None:
    html = build.STAGED_HTML
    html.mkdir(parents=True, exist_ok=True)
    (html / "index.html").write_text(page)
    if err_log:
        (html / "reports" / "notebooks").mkdir(parents=True)
        (html / "reports" / "notebooks" / "innovationstyper.err.log").write_text("Traceback ...")


def statistics_of(value: float) -> pd.DataFrame:
    return pd.DataFrame({"id": ["x"], "value": [value]})


def test_publishing_swaps_site_and_statistics_together(private_build):
    stage(private_build, "first")
    build.publish(statistics_of(0.1))
    stage(private_build, "second")
    build.publish(statistics_of(0.2))
    assert build.SITE.is_symlink() and (build.SITE / "index.html").read_text() == "second"
    assert build.STATISTICS.read_text() == (build.SITE / "statistics.csv").read_text() == "id,value\nx,0.2\n"
    assert [p.name for p in build.RELEASES.iterdir()] == [build.SITE.resolve().name]


def test_an_interrupted_publish_leaves_the_old_site_with_its_statistics(private_build, monkeypatch):
    stage(private_build, "first")
    build.publish(statistics_of(0.1))
    stage(private_build, "second")

    def killed(*args):  # the new release is complete; the link flip is the next step
        raise build.Stopped(signal.SIGTERM)

    monkeypatch.setattr(build, "replace_link", killed)
    with pytest.raises(build.Stopped):
        build.publish(statistics_of(0.2))
    assert (build.SITE / "index.html").read_text() == "first" and build.STATISTICS.read_text() == "id,value\nx,0.1\n"


def published_as_a_folder(private_build: Path) -> None:
    """A site as builds published it before sites were links: a folder, its statistics inside and beside it."""
    build.SITE.mkdir(parents=True)
    (build.SITE / "index.html").write_text("old")
    (build.SITE / "statistics.csv").write_text("old")
    build.STATISTICS.write_text("old")


@pytest.mark.parametrize("can_swap", [True, False], ids=["swapped in one step", "file system without the swap"])
def test_a_site_published_as_a_folder_is_replaced_by_a_link(private_build, monkeypatch, can_swap):
    published_as_a_folder(private_build)
    if not can_swap:
        monkeypatch.setattr(build, "exchange", lambda first, second: False)
    stage(private_build, "new")
    build.publish(statistics_of(0.3))
    assert build.SITE.is_symlink() and (build.SITE / "index.html").read_text() == "new" and build.STATISTICS.read_text() == "id,value\nx,0.3\n"
    assert sorted(p.name for p in private_build.iterdir() if p.name.startswith("html")) == ["html"]


def test_a_stop_at_any_point_while_a_folder_site_is_replaced_leaves_a_whole_site_and_the_next_build_recovers(private_build, monkeypatch):
    """Stopped after each rename or swap of publishing (a kill between two of them), over a site
    published as a folder: `_build/html` is the old site or the new one, each with its statistics,
    never missing; and the next publish completes."""
    probe = private_build.parent / "probe"
    (probe / "folder").mkdir(parents=True)
    (probe / "link").symlink_to("folder")
    if not build.exchange(probe / "link", probe / "folder"):
        pytest.skip("this file system cannot swap a link and a folder in one step (renameat2 RENAME_EXCHANGE)")
    operations = {"rename": os.rename, "replace": os.replace, "exchange": build.exchange}
    stop_after = 1
    while True:
        shutil.rmtree(private_build, ignore_errors=True)
        published_as_a_folder(private_build)
        stage(private_build, "new")
        done = []

        def counted(name):
            def operation(*args, **kwargs):
                result = operations[name](*args, **kwargs)
                done.append(name)
                if len(done) == stop_after:
                    raise build.Stopped(signal.SIGKILL)
                return result

            return operation

        with monkeypatch.context() as patched:
            patched.setattr(os, "rename", counted("rename"))
            patched.setattr(os, "replace", counted("replace"))
            patched.setattr(build, "exchange", counted("exchange"))
            try:
                build.publish(statistics_of(0.3))
                stopped = False
            except build.Stopped:
                stopped = True
        page = (build.SITE / "index.html").read_text()
        expected = {"old": "old", "new": "id,value\nx,0.3\n"}[page]
        assert (build.SITE / "statistics.csv").read_text() == build.STATISTICS.read_text() == expected, done
        stage(private_build, "next")
        build.publish(statistics_of(0.4))
        assert (build.SITE / "index.html").read_text() == "next" and build.STATISTICS.read_text() == "id,value\nx,0.4\n", done
        assert sorted(p.name for p in private_build.iterdir() if p.name.startswith("html")) == ["html"], done
        if not stopped:
            break
        stop_after += 1
    assert "exchange" in done


def test_reports_of_failed_notebooks_are_never_published(private_build):
    stage(private_build, "page", err_log=True)
    build.publish(statistics_of(0.1))
    assert not list(build.SITE.rglob("*.err.log")) and not (build.SITE / "reports").exists()


def test_unknown_extra_column_is_accepted_and_mentioned(tmp_path):
    path = tmp_path / "extra.csv"
    pd.read_csv(SYNTHETIC_MICRODATA, dtype=str, keep_default_na=False).assign(branch="skole").to_csv(path, index=False)
    result = subprocess.run(
        [sys.executable, "-m", "innobarometer.data.microdata"], env=os.environ | {"INNOBAROMETER_DATA": str(path)}, capture_output=True, text=True
    )
    assert result.returncode == 0 and "ignored: branch" in result.stdout


def test_execution_inputs_digest_changes_with_the_microdata(tmp_path, monkeypatch):
    copy = tmp_path / "copy.csv"
    shutil.copy(SYNTHETIC_MICRODATA, copy)
    monkeypatch.setenv("INNOBAROMETER_DATA", str(copy))
    first = build.execution_inputs_digest()
    copy.write_text(copy.read_text().replace("W00001,", "W99999,", 1))
    assert build.execution_inputs_digest() != first


def test_the_notebooks_catalogues_are_execution_inputs_and_a_narrative_page_s_is_not(tmp_path, monkeypatch):
    # a notebook's texts are translated from the catalogues as it runs; a narrative page's by Sphinx
    for name in ("innobarometer/locale/en/LC_MESSAGES/innobarometer.po", "locale/en/LC_MESSAGES/notebooks/figur.po", "locale/en/LC_MESSAGES/book/side.po"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "notebooks" / "figur.md").parent.mkdir()
    (tmp_path / "notebooks" / "figur.md").write_text("---\nkernelspec:\n  name: python3\n---\n", encoding="utf-8")
    (tmp_path / "book" / "side.md").parent.mkdir()
    (tmp_path / "book" / "side.md").write_text("# Side\n", encoding="utf-8")
    monkeypatch.setattr(build, "ROOT", tmp_path)
    monkeypatch.setattr(build, "toc_files", lambda: [tmp_path / "book" / "side.md", tmp_path / "notebooks" / "figur.md"])
    assert [p.relative_to(tmp_path).as_posix() for p in build.notebook_catalogues()] == [
        "innobarometer/locale/en/LC_MESSAGES/innobarometer.po", "locale/en/LC_MESSAGES/notebooks/figur.po",
    ]


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


def test_site_inputs_ignore_what_hypothesis_keeps_between_test_runs(tmp_path, monkeypatch):
    # make test's property tests write .hypothesis/ while the other half's builds ask whether
    # anything changed: a rebuild of the whole book (35 s in make test) for nothing
    def change(repository):
        (repository / ".hypothesis" / "examples" / "a").parent.mkdir(parents=True)
        (repository / ".hypothesis" / "examples" / "a").write_text("an example")

    before, after = site_inputs_after(tmp_path, monkeypatch, change)
    assert before == after


@pytest.fixture
def executor_runs(tmp_path, monkeypatch):
    """A book of one notebook whose executor is recorded instead of started: the list of its runs."""
    notebook = tmp_path / "figur.md"
    notebook.write_text("---\nkernelspec:\n  name: python3\n---\n```{code-cell} ipython3\n1\n```\n", encoding="utf-8")
    runs = []
    record = tmp_path / "cache" / "statistics.csv"

    def executor(command, *args, **kwargs):
        runs.append(command)
        record.parent.mkdir(exist_ok=True)
        record.write_text("id\n")  # what the executor writes once every notebook is in the cache
        return 0

    monkeypatch.setattr(build, "notebooks", lambda: [notebook])
    monkeypatch.setattr(build, "EXECUTED_STAMP", tmp_path / "cache" / "executed-notebooks.sha256")
    monkeypatch.setattr(build, "RECORDED_STATISTICS", record)
    monkeypatch.setattr(build, "LOGS", tmp_path / "logs")
    monkeypatch.setattr(build, "run_step", executor)
    return notebook, runs


def test_a_build_whose_notebooks_all_ran_starts_no_executor(executor_runs):
    _, runs = executor_runs
    build.execute_notebooks()
    build.execute_notebooks()
    assert len(runs) == 1


def test_an_audit_without_the_statistics_record_stops_the_build_naming_it(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "RECORDED_STATISTICS", tmp_path / "statistics.csv")
    with pytest.raises(build.BuildError, match="statistics record .*statistics.csv is missing"):
        build.publishable_statistics()


def test_a_build_whose_statistics_record_is_gone_starts_the_executor_again(executor_runs):
    _, runs = executor_runs
    build.execute_notebooks()
    build.RECORDED_STATISTICS.unlink()
    build.execute_notebooks()
    assert len(runs) == 2


def test_an_edited_notebook_starts_the_executor_again(executor_runs):
    notebook, runs = executor_runs
    build.execute_notebooks()
    notebook.write_text(notebook.read_text(encoding="utf-8") + "```{code-cell} ipython3\n2\n```\n", encoding="utf-8")
    build.execute_notebooks()
    assert len(runs) == 2


def test_a_cleared_execution_cache_starts_the_executor_again(executor_runs):
    _, runs = executor_runs
    build.execute_notebooks()
    shutil.rmtree(build.EXECUTED_STAMP.parent)  # the stamp lives in the cache and goes with it
    build.execute_notebooks()
    assert len(runs) == 2


def test_a_failed_execution_starts_the_executor_again(executor_runs, monkeypatch):
    _, runs = executor_runs
    monkeypatch.setattr(build, "run_step", lambda command, *args, **kwargs: runs.append(command) or 1)
    with pytest.raises(build.BuildError):
        build.execute_notebooks()
    with pytest.raises(build.BuildError):
        build.execute_notebooks()
    assert len(runs) == 2


def test_every_build_writes_each_pdf_afresh_so_that_it_carries_the_builds_date(tmp_path, monkeypatch):
    # latexmk sees the .tex, not SOURCE_DATE_EPOCH: a PDF it found up to date would keep an older date.
    stagings = {language: tmp_path / language for language in build.STAGINGS}
    monkeypatch.setattr(build, "STAGINGS", stagings)
    monkeypatch.setattr(build, "STAGED_HTML", stagings["da"] / "_build" / "html")
    monkeypatch.setattr(build, "LOGS", tmp_path / "logs")
    monkeypatch.setattr(build, "edition_config_file", lambda language: tmp_path / f"_config.{language}.yml")
    pdfs = [stagings[language] / "_build" / "latex" / pdf_name(language) for language in stagings]
    for pdf in pdfs:
        pdf.parent.mkdir(parents=True)
        pdf.write_bytes(b"%PDF of an earlier date")
    found = []

    def editions_built(commands, env, logs):
        found.extend(pdf.exists() for pdf in pdfs)
        for language, pdf in zip(stagings, pdfs):
            (stagings[language] / "_build" / "html").mkdir(parents=True, exist_ok=True)
            pdf.write_bytes(b"%PDF of this build")
        return [0] * len(commands)

    monkeypatch.setattr(build, "run_steps", editions_built)
    build.build_editions()
    assert found == [False, False]
