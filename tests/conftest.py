"""Shared helpers: small microdata files written in the test, so the expected answer is obvious."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from rows import HEADER, non_innovator, workplace


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
    """Six workplaces, five of them innovators: the fewest the disclosure rule lets the book use."""
    return [
        workplace("A1"),
        workplace("A2", sector="region", innovated=(1, 1, 0, 0), latest=(1, 0, 0, 0), quality=0),
        non_innovator("A3", sector="stat"),
        workplace("A4"),
        workplace("A5", sector="stat"),
        workplace("A6", sector="region"),
    ]
