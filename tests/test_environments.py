"""The two environments the Makefile installs: the book's (.venv) and JupyterLab's (.venv-lab)."""

from __future__ import annotations

import re
from importlib import metadata

from innobarometer.paths import ROOT


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(requirements: str) -> dict[str, str]:
    """A requirements file's pins: version by normalised package name."""
    lines = (ROOT / requirements).read_text(encoding="utf-8").splitlines()
    return {normalised(name): version.strip() for name, _, version in (line.partition("==") for line in lines if "==" in line and not line.startswith("#"))}


def test_the_books_environment_holds_none_of_jupyterlabs_own_packages():
    # JupyterLab's server brings rfc3987-syntax, with which every `import jsonschema` (each
    # Sphinx process, each kernel importing altair) compiles 39 grammars: a second each.
    installed = {normalised(dist.metadata["Name"]) for dist in metadata.distributions()}
    lab_only = pins("requirements-lab.txt").keys() - pins("requirements.txt").keys()
    assert {"rfc3987-syntax", "jupyterlab"} <= lab_only
    assert sorted(lab_only & installed) == []


def test_jupyterlabs_environment_has_the_books_version_of_every_package_both_have():
    book, lab = pins("requirements.txt"), pins("requirements-lab.txt")
    assert {name: (book[name], lab[name]) for name in book.keys() & lab.keys() if book[name] != lab[name]} == {}
