"""The kit apart from the chapter: a second chapter of the barometer is built from a notebook, a
page, a facts table and an identity file, with the kit copied unchanged; a new figure is one
notebook and one line in `_toc.yml`."""

import csv
import os
import shutil
import subprocess
import sys

import pytest
import yaml

from innobarometer.estimates.statistics_record import read_table
from innobarometer.paths import ROOT, book_config
from innobarometer.text.formatting import percent

pytestmark = [pytest.mark.book, pytest.mark.chapter]

PACKAGE = "andet_kapitel"

IDENTITY = {
    "title": {"da": "Andet kapitel", "en": "Second chapter"},
    "subtitle": {"da": "et skelet af et kapitel", "en": "the skeleton of a chapter"},
    "edition": {"da": "Innovationsbarometeret, 2. udgave", "en": "The Innovation Barometer, 2nd edition"},
    "period": {"da": "2015–2016", "en": "2015–2016"},
    "publisher": {"da": "Forlaget", "en": "the publisher"},
    "author": {"da": "Forfatteren", "en": "The author"},
    "credit": {"da": "Et skelet", "en": "A skeleton"},
    "original": {"da": "Innovationsbarometeret", "en": "the Innovation Barometer"},
    "licence": {"da": "CC BY 4.0", "en": "CC BY 4.0"},
    "licence_url": {"da": "https://creativecommons.org/licenses/by/4.0/deed.da", "en": "https://creativecommons.org/licenses/by/4.0/deed.en"},
    "chapter": PACKAGE,
}

#: The chapter's disclosure record: the one cell its notebooks publish, protected by the kit's rule.
DISCLOSURE_RECORD = '''
import pandas as pd

from innobarometer.estimates.disclosure import is_suppressed


def every_cell(frame: pd.DataFrame) -> pd.DataFrame:
    yes = frame["innovated_process"] == 1
    n, n_yes = len(frame), int(yes.sum())
    weight, weight_yes = frame["weight"].sum(), frame.loc[yes, "weight"].sum()
    suppressed = is_suppressed(n, weight_yes / weight, n_yes)
    return pd.DataFrame([{"id": "andel_proces", "n": n, "weight": weight, "weight_yes": weight_yes, "suppressed": suppressed, "share": weight_yes / weight}])
'''

NOTEBOOK = '''---
kernelspec:
  display_name: Python 3 (ipykernel)
  language: python
  name: python3
---

# {title}

```{{code-cell}} ipython3
:tags: [hide-input]

import pandas as pd
from myst_nb import glue

from innobarometer.data.microdata import load_microdata
from innobarometer.estimates import statistics_record
from innobarometer.estimates.estimate import weighted_share
from innobarometer.presentation import charts, notes
from innobarometer.presentation.figures import Figure
from innobarometer.text.formatting import percent

charts.use_book_style()
workplaces = load_microdata()
share = weighted_share(workplaces, "{column}")
statistics_record.record(pd.DataFrame([{{"id": "{statistic}", **share}}]))
glue("{statistic}", percent(share["value"]), display=False)
bars = pd.DataFrame([{{"id": "{statistic}", "label": "{title}", **share}}])
glue("{statistic}_chart", Figure(charts.bar_chart(bars, label="label", summary="{title}"), bars, name="fig-{statistic}", source=notes.source_line(), title="{title}"))
```

Andelen er {{eval}}`{statistic}`.
'''

PAGE = '''# Andet kapitel

**{eval}`../notebooks/andel.md::andel_proces`** af arbejdspladserne har indført en procesinnovation.
'''


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def skeleton(root):
    """A second chapter: the kit as it is, and the chapter's own notebook, page, facts and identity."""
    shutil.copytree(ROOT / "innobarometer", root / "innobarometer", ignore=shutil.ignore_patterns("__pycache__"))
    for folder in ("_static", "_templates", "data/codebook"):
        shutil.copytree(ROOT / folder, root / folder)
    write(root / "data" / "synthetic" / "workplaces.csv", (ROOT / "data" / "synthetic" / "workplaces.csv").read_text(encoding="utf-8"))
    write(root / "publication.yml", yaml.safe_dump(IDENTITY, allow_unicode=True))
    write(root / PACKAGE / "__init__.py", "")
    write(root / PACKAGE / "disclosure_record.py", DISCLOSURE_RECORD)
    write(root / "notebooks" / "andel.md", NOTEBOOK.format(title="Procesinnovation", column="innovated_process", statistic="andel_proces"))
    write(root / "book" / "index.md", PAGE)
    with open(ROOT / "data" / "published" / "facts.csv", encoding="utf-8") as file:
        fact = next(row for row in csv.DictReader(file) if row["statistic_id"] == "workplaces_innovated_process")
    (root / "data" / "published").mkdir()
    with open(root / "data" / "published" / "facts.csv", "w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(fact))
        writer.writeheader()
        writer.writerow(fact | {"id": "ed2_andel_proces", "statistic_id": "andel_proces"})
    config = book_config() | {"exclude_patterns": book_config()["exclude_patterns"] + [PACKAGE]}
    config["sphinx"]["config"]["print_appendices"] = []
    config["latex"]["latex_documents"]["targetname"] = "andet-kapitel.tex"
    write(root / "_config.yml", yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    english = yaml.safe_load((ROOT / "_config.en.yml").read_text(encoding="utf-8"))
    english["latex"]["latex_documents"]["targetname"] = "second-chapter.tex"
    english["sphinx"]["config"].pop("toc_captions")
    write(root / "_config.en.yml", yaml.safe_dump(english, allow_unicode=True, sort_keys=False))
    write(root / "_toc.yml", "format: jb-book\nroot: book/index\nchapters:\n  - file: notebooks/andel\n")
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    return root


def build(root):
    environment = os.environ | {"PYTHONPATH": str(root), "SOURCE_DATE_EPOCH": "946684800"}
    return subprocess.run([sys.executable, "-m", "innobarometer.building.build"], cwd=root, env=environment, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def second_chapter(tmp_path_factory):
    root = skeleton(tmp_path_factory.mktemp("second-chapter"))
    result = build(root)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return root


def test_a_second_chapter_is_built_with_the_kit_unchanged(second_chapter):
    site = second_chapter / "_build" / "html"
    statistics = read_table(site / "statistics.csv")
    assert statistics["id"].tolist() == ["andel_proces"]
    page = (site / "book" / "index.html").read_text(encoding="utf-8")
    assert f'<strong><span class="pasted-text">{percent(statistics["value"][0])}</span></strong> af arbejdspladserne' in page
    assert "<title>Andet kapitel" in page and "Second chapter" in (site / "en" / "book" / "index.html").read_text(encoding="utf-8")
    assert (site / "andet-kapitel.pdf").exists() and (site / "en" / "second-chapter.pdf").exists()
    kit = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "innobarometer").rglob("*.py"))
    assert all((second_chapter / name).read_bytes() == (ROOT / name).read_bytes() for name in kit)


def test_a_new_figure_is_one_notebook_and_one_line_in_the_table_of_contents(second_chapter):
    write(second_chapter / "notebooks" / "service.md", NOTEBOOK.format(title="Serviceinnovation", column="innovated_service", statistic="andel_service"))
    toc = second_chapter / "_toc.yml"
    toc.write_text(toc.read_text(encoding="utf-8") + "  - file: notebooks/service\n", encoding="utf-8")
    result = build(second_chapter)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    site = second_chapter / "_build" / "html"
    statistics = read_table(site / "statistics.csv")
    assert statistics["id"].tolist() == ["andel_proces", "andel_service"]
    page = (site / "notebooks" / "service.html").read_text(encoding="utf-8")
    assert f'Andelen er <span class="pasted-text">{percent(statistics["value"][1])}</span>' in page
    assert 'class="innobarometer-chart"' in page and 'class="figure-tools"' in page
