"""Shared helpers: small microdata files written in the test, so the expected answer is obvious."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import rows
from rows import HEADER


@pytest.fixture
def write_csv(tmp_path: Path):
    """Write rows (dicts) as a microdata CSV and return its path."""

    def write(rows, name="workplaces.csv", columns=None, **to_csv):
        frame = pd.DataFrame(rows, columns=columns or HEADER)
        path = tmp_path / name
        frame.to_csv(path, index=False, **to_csv)
        return path

    return write


@pytest.fixture
def valid_rows():
    return rows.valid_rows()
