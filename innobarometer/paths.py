"""Where things live. The one place that knows the data path."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CODEBOOK = DATA / "codebook"
PUBLISHED_FACTS = DATA / "published" / "facts.csv"
PUBLISHED_CASES = DATA / "published" / "cases.csv"
SYNTHETIC_MICRODATA = DATA / "synthetic" / "workplaces.csv"
SYNTHETIC_ASSUMPTIONS = DATA / "synthetic" / "assumptions.yml"
BUILD = ROOT / "_build"
#: The PDF edition's file name, in the LaTeX build and in the site.
PDF_NAME = "organiser-smartere.pdf"

#: Environment variable that points the whole book at another microdata file.
DATA_ENV = "INNOBAROMETER_DATA"
#: Set by the build for the notebooks it executes (offline charts, shared validated data).
BUILD_ENV = "INNOBAROMETER_BUILD"
#: Validated microdata, kept between the notebooks of a build (keyed by content).
MICRODATA_CACHE = BUILD / "microdata-cache"


def microdata_path() -> Path:
    """The microdata file the book is computed from: INNOBAROMETER_DATA, else the synthetic stand-in."""
    configured = os.environ.get(DATA_ENV, "").strip()
    # Absolute but not resolved: resolving fails on a symlink loop, and messages should name
    # the path the user gave.
    return Path(os.path.abspath(Path(configured).expanduser())) if configured else SYNTHETIC_MICRODATA


def uses_synthetic_data() -> bool:
    return microdata_path() == SYNTHETIC_MICRODATA.resolve()
