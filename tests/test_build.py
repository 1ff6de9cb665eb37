"""The build: bad input stops it and keeps the last good site; other data changes every number."""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from html_pages import visible_text
from innobarometer import build
from innobarometer.estimate import weighted_share
from innobarometer.formatting import percent
from innobarometer.microdata import load_microdata
from innobarometer.paths import ROOT, SYNTHETIC_MICRODATA
from innobarometer.statistics import read
from innobarometer.synthesize import published_targets, synthesize


def run_build(cwd: Path, data: Path, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    env = os.environ | {"INNOBAROMETER_DATA": str(data)} | (extra_env or {})
    return subprocess.run([sys.executable, "-m", "innobarometer.build"], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


def test_broken_microdata_stops_the_build_and_keeps_the_last_good_site(tmp_path):
    if not (build.SITE / "index.html").exists():
        pytest.fail("no built book: run `make book` first (make test does)")
    broken = tmp_path / "broken.csv"
    lines = SYNTHETIC_MICRODATA.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace(",kommune,", ",kommun,").replace(",stat,", ",stat2,").replace(",region,", ",regio,")
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = tree_digest(build.SITE), build.STATISTICS.read_bytes()

    result = run_build(ROOT, broken)

    assert result.returncode != 0
    assert str(broken) in result.stderr and "column 'sector', row 5 (file line 6)" in result.stderr
    assert (tree_digest(build.SITE), build.STATISTICS.read_bytes()) == before


def test_execution_inputs_digest_changes_with_the_microdata(tmp_path, monkeypatch):
    copy = tmp_path / "copy.csv"
    shutil.copy(SYNTHETIC_MICRODATA, copy)
    monkeypatch.setenv("INNOBAROMETER_DATA", str(copy))
    first = build.execution_inputs_digest()
    copy.write_text(copy.read_text().replace("W00001,", "W99999,", 1))
    assert build.execution_inputs_digest() != first


@pytest.fixture(scope="module")
def book_on_other_data(tmp_path_factory):
    """A copy of the repository built with a different, valid microdata file."""
    copy = tmp_path_factory.mktemp("repo")
    shutil.copytree(ROOT, copy, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".venv", "_build", ".git", "*.egg-info", ".pytest_cache"))
    other = copy / "other.csv"
    targets = published_targets() | {"process": 0.55, "service": 0.30}
    synthesize(targets=targets).to_csv(other, index=False)
    result = run_build(copy, other, {"PYTHONPATH": str(copy)})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return copy, other


def test_other_data_changes_every_number_accordingly(book_on_other_data):
    copy, other = book_on_other_data
    stats = read(copy / "_build" / "statistics.csv")
    frame = load_microdata(other)
    for t in ["process", "service", "communication", "product", "any"]:
        expected = weighted_share(frame, f"innovated_{t}")["value"]
        assert stats.loc[f"workplaces_innovated_{t}", "value"] == pytest.approx(expected, abs=1e-9)
    assert (stats["source"] == "microdata:other.csv").all()
    headline = percent(stats.loc["workplaces_innovated_process", "value"])
    assert headline == percent(0.55)
    page = visible_text(copy / "_build" / "html" / "book" / "organiser-smartere.html")
    assert f"{headline} af de offentlige arbejdspladser" in page
    assert "syntetisk datasæt" not in page
