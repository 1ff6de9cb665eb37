"""Every notebook that reads the microdata runs on any valid file (Hypothesis).

The files vary in what a real file at the research service may: strata or none, with or without
their populations, strata of one respondent and strata that are a census, levels of government
absent or with a handful of respondents, shares of exactly 0 or 1, equal and very unequal
weights, combinations that all look alike. For each file every notebook's code runs in this
process (tests/notebook_code.py) and must finish without an exception, glue no "nan", publish no
estimate the disclosure rule hides, leave no hidden cell that the published cells give away, and
give the same point estimates as a plain weighted mean computed here.
"""

from __future__ import annotations

import json
import re
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innobarometer.data.codebook import TYPES
from innobarometer.estimates import disclosure
from innobarometer.estimates.statistics_record import GLUE_NAME, MIME
from organiser_smartere import disclosure_record
from feasibility import intervals
from notebook_code import glued, microdata_notebooks

pytestmark = pytest.mark.generated

LEVELS = ["kommune", "region", "stat"]
NAN = re.compile(r"\bnan\b", re.IGNORECASE)


class MicrodataFile(pd.DataFrame):
    """A generated table that Hypothesis prints, when a test fails, as the CSV file it writes."""

    @property
    def _constructor(self):
        return MicrodataFile

    def __repr__(self) -> str:
        return "\n" + self.to_csv(index=False)


@st.composite
def valid_files(draw) -> pd.DataFrame:
    """A valid microdata table: a design, levels, weights and answers drawn at random."""
    sizes = {level: draw(st.sampled_from([0, 1, 2, 5, 12, 30]) | st.integers(0, 30)) for level in LEVELS}
    sizes["kommune"] = max(sizes["kommune"], draw(st.integers(10, 80)))  # at least five innovators can exist
    rows = [level for level in LEVELS for _ in range(sizes[level])]
    n = len(rows)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    chance = {t: draw(st.sampled_from([0.0, 1.0]) | st.floats(0.05, 0.95)) for t in TYPES}
    introduced = pd.DataFrame({t: (rng.random(n) < chance[t]).astype(int) for t in TYPES})
    introduced.loc[: 2 * disclosure.MIN_RESPONDENTS - 1, "process"] = 1  # the file is valid: enough innovators
    innovator = introduced.sum(axis=1) > 0
    latest = introduced.copy()
    keep_all = draw(st.booleans())  # every latest innovation of every type introduced: few combinations
    if not keep_all:
        latest = latest.where(rng.random((n, len(TYPES))) < 0.6, 0)
        first = introduced.to_numpy().argmax(axis=1)  # every innovator keeps one type at least
        for row in np.flatnonzero(innovator & (latest.sum(axis=1) == 0)):
            latest.iat[row, first[row]] = 1
    quality = draw(st.sampled_from([0.0, 1.0]) | st.floats(0.05, 0.95))
    if draw(st.booleans()):
        weight = np.full(n, draw(st.floats(1, 50)))
    else:
        weight = np.exp(rng.normal(0, draw(st.floats(0.1, 1.2)), n)) * 10
    table = pd.DataFrame({"respondent_id": [f"R{i}" for i in range(n)], "sector": rows, "weight": np.round(weight, 3)})
    for t in TYPES:
        table[f"innovated_{t}"] = introduced[t]
        table[f"latest_{t}"] = latest[t].where(innovator).astype("Int8")
    table["latest_quality"] = pd.Series((rng.random(n) < quality).astype(int)).where(innovator).astype("Int8")
    design = draw(st.sampled_from(["weights", "strata", "strata with populations"]))
    if design != "weights":
        strata = draw(st.integers(1, 6))
        table["stratum"] = [f"s{i % strata}" for i in range(n)]
        if draw(st.booleans()):
            table.loc[0, "stratum"] = "alone"  # a stratum of one respondent
        if design == "strata with populations":
            counts = table["stratum"].map(table["stratum"].value_counts())
            census = draw(st.booleans())
            table["stratum_population"] = counts * (1 if census else draw(st.integers(1, 20)))
            if not census and draw(st.booleans()):
                table.loc[table["stratum"] == table["stratum"].iloc[-1], "stratum_population"] = counts.iloc[-1]  # one census stratum
    return MicrodataFile(table)


def weighted_mean(table: pd.DataFrame, column: str, rows: pd.Series) -> float:
    y, w = table.loc[rows, column].astype(float), table.loc[rows, "weight"]
    return float((w * y).sum() / w.sum())


def recorded(values: dict) -> pd.DataFrame:
    return pd.DataFrame(values[GLUE_NAME][MIME]) if GLUE_NAME in values else pd.DataFrame()


@contextmanager
def records_computed_once():
    """Each figure's disclosure record computed once for the file the notebooks share (by each
    breakdown asked for): the method page's notebook protects both figures' tables again for its
    headline, and the explorer Figure 2's notebook makes protects them too (a quarter of a second)."""
    computed = {}
    originals = {name: getattr(disclosure_record, name) for name in ("innovation_type_cells", "quality_cells")}

    def once(name):
        def cells(frame, by=disclosure_record.FIGURES_BREAKDOWN):
            if (name, by) not in computed:
                computed[name, by] = originals[name](frame, by=by)
            return computed[name, by].copy()

        return cells

    for name in originals:
        setattr(disclosure_record, name, once(name))
    try:
        yield
    finally:
        for name, function in originals.items():
            setattr(disclosure_record, name, function)


def check_file(table: pd.DataFrame, path) -> None:
    table.to_csv(path, index=False)
    statistics = []
    with records_computed_once():
        notebooks = {notebook: glued(notebook, path) for notebook in microdata_notebooks()}
    for notebook, values in notebooks.items():
        for key, bundle in values.items():
            text = json.dumps({mime: data for mime, data in bundle.items() if mime != "application/pdf"}, ensure_ascii=False)
            assert not NAN.search(text), f"{notebook.name}: {key} shows {NAN.search(text)[0]!r}"
        statistics.append(recorded(values))
    stats = pd.concat(statistics, ignore_index=True).set_index("id")
    shown = stats[~stats["suppressed"].astype(bool)]
    assert (shown["n"] >= 2 * disclosure.MIN_RESPONDENTS).all()
    assert shown["value"].between(0, 1, inclusive="neither").all()
    assert stats.loc[stats["suppressed"].astype(bool), ["value", "ci_low", "ci_high", "se"]].isna().all().all()
    innovated_any = table[[f"innovated_{t}" for t in TYPES]].sum(axis=1) > 0
    for statistic, row in shown.iterrows():
        if statistic.startswith("workplaces_innovated_"):
            name, _, level = statistic.removeprefix("workplaces_innovated_").partition(".")
            column = f"innovated_{name}" if name != "any" else None
            rows = table["sector"].eq(level) if level else pd.Series(True, index=table.index)
            expected = weighted_mean(table.assign(innovated_any=innovated_any.astype(int)), column or "innovated_any", rows)
            assert row["value"] == pytest.approx(expected, abs=1e-9), statistic
    check_protection(table, stats)


def true_cells(table: pd.DataFrame) -> dict[str, tuple[pd.DataFrame, list, dict]]:
    """Both figures' count tables, counted here from the file: per table its cells (id, dimensions,
    n, n_yes), dimensions and totals."""
    innovated_any = table[[f"innovated_{t}" for t in TYPES]].sum(axis=1) > 0
    views = {"all": pd.Series(True, index=table.index)} | {level: table["sector"].eq(level) for level in LEVELS}
    found = {}
    for kind in ["process", "service", "communication", "product", "any"]:
        answer = innovated_any if kind == "any" else table[f"innovated_{kind}"].eq(1)
        rows = [{"id": f"workplaces_innovated_{kind}" + ("" if v == "all" else f".{v}"), "breakdown": v, "n": int(m.sum()), "n_yes": int((m & answer).sum())} for v, m in views.items()]
        found[kind] = (pd.DataFrame(rows), ["breakdown"], {"breakdown": "all"})
    combination = pd.Series("", index=table.index)
    for t in TYPES:
        combination = combination.where(table[f"latest_{t}"].fillna(0).ne(1), combination + "+" + t)
    combination = combination.str.removeprefix("+")
    quality = table["latest_quality"].fillna(0).eq(1)
    rows = []
    for v, m in views.items():
        m = m & innovated_any
        for c in ["all", *sorted(set(combination[m]))]:
            cell = m & (combination.eq(c) if c != "all" else True)
            rows.append({"id": f"innovations_improved_quality.{c}" + ("" if v == "all" else f".{v}"), "breakdown": v, "combination": c, "n": int(cell.sum()), "n_yes": int((cell & quality).sum())})
    found["quality"] = (pd.DataFrame(rows), ["breakdown", "combination"], {"breakdown": "all", "combination": "all"})
    return found


def check_protection(table: pd.DataFrame, stats: pd.DataFrame) -> None:
    """Every cell the threshold rule hides is suppressed, and no suppressed count can be narrowed
    by the published cells below its protection (an intruder's linear programme, tests/feasibility.py)."""
    for name, (cells, dimensions, totals) in true_cells(table).items():
        cells = cells[cells["id"].isin(stats.index)].reset_index(drop=True)
        cells["suppressed"] = cells["id"].map(stats["suppressed"].astype(bool))
        primary = [disclosure.is_suppressed(n, n_yes=y) and n > 0 for n, y in zip(cells["n"], cells["n_yes"])]
        assert cells.loc[primary, "suppressed"].all(), (name, cells[primary & ~cells["suppressed"]])
        if not cells["suppressed"].any():
            continue
        found = intervals(cells, dimensions, totals)
        for index, row in cells[primary].iterrows():
            below, above = disclosure.protection_interval(int(row["n_yes"]), int(row["n"]))
            assert found.loc[index, "low"] <= row["n_yes"] - below + 1e-6 and found.loc[index, "high"] >= row["n_yes"] + above - 1e-6, (name, row["id"])
        assert (found["low"] < found["high"]).all(), (name, found)


@settings(deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(table=valid_files())
def test_every_notebook_runs_on_any_valid_file(table, tmp_path):
    check_file(table, tmp_path / "workplaces.csv")


def test_a_level_of_twelve_who_all_innovated_is_hidden_with_a_complement(tmp_path):
    # the file that made innovationstyper crash: the state level's "any type" share is 1
    rng = np.random.default_rng(3)
    n = 60
    table = pd.DataFrame({"respondent_id": [f"R{i}" for i in range(n + 12)], "sector": ["kommune"] * n + ["stat"] * 12, "weight": 10.0})
    for t in TYPES:
        introduced = np.r_[rng.random(n) < 0.5, np.ones(12, bool)] if t == "process" else np.r_[rng.random(n) < 0.3, np.zeros(12, bool)]
        table[f"innovated_{t}"] = introduced.astype(int)
    innovator = table[[f"innovated_{t}" for t in TYPES]].sum(axis=1) > 0
    for t in TYPES:
        table[f"latest_{t}"] = table[f"innovated_{t}"].where(innovator).astype("Int8")
    table["latest_quality"] = pd.Series(rng.integers(0, 2, len(table))).where(innovator).astype("Int8")
    check_file(table, tmp_path / "workplaces.csv")


def test_a_complement_that_falls_on_a_combination_that_would_be_tested_leaves_it_untested(tmp_path):
    # 8 product innovations, 2 of them with improved quality, need a complement among all
    # workplaces' combinations: the cheapest is service (40 innovations, enough to be tested)
    rng = np.random.default_rng(5)
    latest = ["process"] * 60 + ["service"] * 40 + ["product"] * 8
    quality = np.r_[rng.permutation([1] * 30 + [0] * 30), rng.permutation([1] * 20 + [0] * 20), [1, 1, 0, 0, 0, 0, 0, 0]]
    table = pd.DataFrame({"respondent_id": [f"R{i}" for i in range(len(latest))], "sector": "kommune", "weight": 10.0})
    for t in TYPES:
        table[f"innovated_{t}"] = [int(kind == t) for kind in latest]
        table[f"latest_{t}"] = pd.Series([int(kind == t) for kind in latest], dtype="Int8")
    table["latest_quality"] = pd.Series(quality, dtype="Int8")
    path = tmp_path / "workplaces.csv"
    check_file(table, path)
    stats = recorded(glued(next(p for p in microdata_notebooks() if p.name == "kvalitet.md"), path)).set_index("id")
    assert stats.loc["innovations_improved_quality.service", "suppressed"] and not stats.loc["innovations_improved_quality.service", "shown"]
