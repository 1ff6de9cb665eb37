"""Build one edition, its HTML and then its PDF: `python -m innobarometer.building.edition_build CONFIG OUTPUT`.

These are the two `jupyter-book build` commands the framework documents (`--builder html`, then
`--builder pdflatex`, with `-W -n --keep-going`), each run as the command it is. Sphinx's output
goes to OUTPUT/_build/html and OUTPUT/_build/latex; the first build that fails ends the process
with its status.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from innobarometer.paths import ROOT

BUILDERS = ["html", "pdflatex"]


def command(config: str, output: str, builder: str) -> list[str]:
    """The `jupyter-book build` command of one builder, from this Python's environment."""
    jupyter_book = str(Path(sys.executable).parent / "jupyter-book")
    return [jupyter_book, "build", str(ROOT), "--config", config, "--path-output", output, "--builder", builder, "-W", "-n", "--keep-going"]


def build(config: str, output: str) -> int:
    for builder in BUILDERS:
        status = subprocess.run(command(config, output, builder)).returncode
        if status:
            return status if status > 0 else 128 - status  # killed by a signal: as a shell says it
    return 0


if __name__ == "__main__":
    raise SystemExit(build(*sys.argv[1:]))
