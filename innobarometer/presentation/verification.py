"""Compare the computed statistics with the public record: `python -m innobarometer.presentation.verification`.

Every fact in data/published/facts.csv with a statistic as counterpart is checked at the
published precision (or inside the published bound). Statistics without a published
counterpart are listed as such and never counted as verified.

The terminal report is in one language, the edition's: Danish, or English with `--language en`
or INNOBAROMETER_LANGUAGE=en (the option wins); each share with its standard error and
confidence interval, and the rule a match is decided by stated above the tables.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import textwrap
from pathlib import Path

import pandas as pd

from innobarometer.data import published
from innobarometer.estimates import disclosure, statistics_record
from innobarometer.paths import BUILD
from innobarometer.presentation import tables
from innobarometer.text.escape import printable
from innobarometer.text.formatting import in_steps_of, number, percent, percent_range, quoted
from innobarometer.text.language import _, DANISH, LANGUAGE_ENV, LANGUAGES, speaking

STATISTICS_FILE = BUILD / "statistics.csv"
#: The terminal width the report fits (a web address on its own line excepted).
WIDTH = 100

#: Status codes and their labels for the book, in Danish and in English.
STATUSES = ("match", "mismatch", "missing", "suppressed", "unpublished")


def status_label(status: str) -> str:
    """A status code's label in the edition's language: 'match' -> 'Gengivet' / 'Reproduced'."""
    return {
        "match": _("Gengivet"),
        "mismatch": _("Afviger"),
        "missing": _("Mangler i beregningen"),
        "suppressed": _("Ikke vist (diskretionering)"),
        "unpublished": _("Intet offentliggjort tal"),
    }[status]


def comparison_headings() -> list[str]:
    """The comparison's column headings, web and print alike: the published figure, then what was
    computed, what was published, the source and the status."""
    return [_("Offentliggjort tal"), _("Beregnet"), _("Offentliggjort"), _("Kilde"), "Status"]


def status_labels() -> dict[str, str]:
    """Every status code's label in the edition's language."""
    return {status: status_label(status) for status in STATUSES}


def matches(computed: float, fact: pd.Series) -> bool:
    """The computed number equals the published one at its precision, rounded as the pages print
    it (ties to even), or lies inside its bound (lower included, upper not)."""
    if pd.notna(fact["value"]):
        return in_steps_of(computed, fact["precision"]) == in_steps_of(fact["value"], fact["precision"])
    lower = fact["lower"] if pd.notna(fact["lower"]) else -float("inf")
    upper = fact["upper"] if pd.notna(fact["upper"]) else float("inf")
    return lower <= computed < upper


#: The order the statuses are listed in: what fails the verification first.
ORDER = ["mismatch", "missing", "suppressed", "match", "unpublished"]
#: A statistic's spread as the statistics record has it: standard error and confidence interval.
SPREAD = ["se", "ci_low", "ci_high"]


def comparison(stats: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """One row per statistic and per published counterpart: computed (as text, with the share's
    standard error and interval as numbers), published, source, status.

    `stats` is indexed by statistic id (as statistics_record.read gives it).
    """
    rows = []
    checked = set()
    for fact_id, fact in facts[facts["statistic_id"] != ""].iterrows():
        statistic = fact["statistic_id"]
        row = {"statistic": statistic, "field": fact["statistic_field"], "published": published.fact_text(fact), "source": fact["source_url"], "fact": fact_id}
        if statistic not in stats.index:
            rows.append(row | {"computed": "", "status": "missing"})
            continue
        computed = float(stats.loc[statistic, fact["statistic_field"]])
        shown = computed_text(computed, fact["unit"], stats.loc[statistic, "n"])
        if fact["statistic_field"] == "value":
            row |= spread(stats.loc[statistic])
        if pd.isna(computed):  # suppressed by the disclosure rule: nothing to compare
            rows.append(row | {"computed": shown, "status": "suppressed"})
            continue
        rows.append(row | {"computed": shown, "status": "match" if matches(computed, fact) else "mismatch"})
        if fact["statistic_field"] == "value":
            checked.add(statistic)
    for statistic, stat in stats.iterrows():
        if statistic not in checked:
            rows.append({"statistic": statistic, "field": "value", "computed": computed_text(stat["value"], "share", stat["n"]), "published": "", "source": "", "fact": "", "status": "unpublished"} | spread(stat))
    table = pd.DataFrame(rows, columns=["statistic", "field", "computed", *SPREAD, "published", "source", "fact", "status"])
    return table.sort_values(["status", "statistic"], key=lambda c: c.map(ORDER.index) if c.name == "status" else c, kind="stable").reset_index(drop=True)


def spread(stat: pd.Series) -> dict[str, float]:
    """A statistic's standard error and interval as far as the record has them; none at all for a
    statistic the disclosure rule hides, whatever else its row holds."""
    hidden = pd.isna(stat.get("value")) or str(stat.get("suppressed", "")).lower() == "true"
    return {column: float("nan") if hidden else float(stat.get(column, float("nan"))) for column in SPREAD}


def computed_text(computed: float, unit: str, n: float) -> str:
    """A computed statistic as the table shows it: '–' where the disclosure rule emptied it, a
    share from few respondents marked uncertain."""
    if pd.isna(computed):
        return tables.DASH
    if unit == "count":
        return number(computed)
    return percent(computed, 1) + (tables.UNCERTAIN_MARK if disclosure.is_uncertain(n) else "")


def failed(table: pd.DataFrame) -> bool:
    return table["status"].isin(["mismatch", "missing", "suppressed"]).any()


def report(stats: pd.DataFrame, facts: pd.DataFrame, width: int = WIDTH) -> str:
    """The comparison as the terminal shows it, in the current language and its number formats:
    what it is computed from, the rule, one table per status (failures first), what the
    abbreviations and marks mean, the sources, the counts."""
    table = comparison(stats, facts)
    sources = {row.source: facts.loc[row.fact, "source_name"] for row in table.itertuples() if row.source}
    lines = [_("Beregnede tal sammenlignet med de offentliggjorte")]
    if "source" in stats.columns:
        lines += wrapped(_("Beregnet fra {}.").format(", ".join(basis(s) for s in stats["source"].dropna().unique())), width)
    lines += [""] + wrapped(rule(), width)
    for status in ORDER:
        group = table[table["status"] == status]
        if group.empty:
            continue
        lines += ["", f"{status_label(status)} ({number(len(group))})"]
        if status == "unpublished":
            lines += wrapped(_("Uden offentliggjort tal at sammenligne med; tæller aldrig som gengivet."), width)
        lines += grid(group, list(sources), with_published=status != "unpublished", width=width)
    lines.append("")
    for note in legend(table):
        lines += wrapped(note, width)
    if sources:
        lines += ["", _("Kilder:")]
        for number_, (url, name) in enumerate(sources.items(), start=1):
            lines += [f"[{number_}] {printable(name)}", f"    {printable(url)}"]
    counts = table["status"].value_counts()
    lines += [""] + wrapped(_("I alt: ") + "; ".join(f"{status_label(s)} {number(counts.get(s, 0))}" for s in ORDER) + ".", width)
    if counts.get("match", 0) and "source" in stats.columns and (stats["source"] == "synthetic").all():
        lines += wrapped(
            _(
                "På det syntetiske datasæt gengives tallene pr. konstruktion (det er kalibreret til netop disse tal); "
                "kun en kørsel på de rigtige mikrodata viser, at barometerets tal kommer ud igen."
            ),
            width,
        )
    return "\n".join(lines)


def basis(source: str) -> str:
    """What the statistics record says they are computed from, in words: 'synthetic' or 'microdata:<file>'."""
    if source == "synthetic":
        return _("det syntetiske datasæt")
    return _("mikrodatafilen {}").format(quoted(printable(source.removeprefix("microdata:"))))


def rule() -> str:
    """The rule `matches` decides by, in words, with two ties rounded by it."""
    ties = [(percent(share, 1), percent(float(in_steps_of(share, 0.01)) / 100)) for share in (0.285, 0.295)]
    bound = quoted(published.fact_text(pd.Series({"unit": "share", "value": float("nan"), "lower": 0.4, "upper": 0.5})))
    return _(
        "Regel: et beregnet tal er gengivet, når det, afrundet til det offentliggjorte tals præcision, er det "
        "offentliggjorte tal. Der afrundes, som siderne trykker tallene: på tallets decimalform, og et tal lige midt "
        "imellem rundes til lige ciffer ({0} bliver {1}, {2} bliver {3}). Et offentliggjort interval ({4}) rummer sin "
        "nedre grænse, men ikke sin øvre."
    ).format(*ties[0], *ties[1], bound)


def grid(group: pd.DataFrame, sources: list[str], with_published: bool, width: int) -> list[str]:
    """One status's statistics as a plain-text table: id, computed, standard error, interval, and
    (for those with a published counterpart) the published figure and its source's number."""
    headers = [_("Statistik"), _("Beregnet"), "SE", interval_heading()]
    align = "<>>>"
    rows = []
    for row in group.itertuples():
        name = printable(row.statistic) + ("" if row.field == "value" else f" ({printable(row.field)})")
        se = "" if pd.isna(row.se) else number(100 * row.se, 2)
        interval = "" if pd.isna(row.ci_low) or pd.isna(row.ci_high) else percent_range(row.ci_low, row.ci_high, 1)
        rows.append([name, row.computed, se, interval] + ([row.published, f"[{sources.index(row.source) + 1}]" if row.source else ""] if with_published else []))
    if with_published:
        headers += [_("Offentliggjort"), _("Kilde")]
        align += "><"
    return columns(headers, rows, align, width)


def confidence() -> str:
    """The intervals' confidence level: '95 %' / '95%'."""
    from innobarometer.estimates.estimate import ALPHA  # here: the book's Sphinx builds import this module without svy

    return percent(1 - ALPHA)


def interval_heading() -> str:
    """The interval's column heading: '95 %-KI' / '95% CI'."""
    return _("{}-KI").format(confidence())


def legend(table: pd.DataFrame) -> list[str]:
    """What the report's abbreviations and marks mean, those it uses."""
    notes = []
    if (table["field"] == "n").any():
        notes.append(_("(n): antal svar."))
    if table["se"].notna().any():
        notes.append(_("SE: standardfejl i procentpoint, designbaseret (Taylor-linearisering)."))
    if table["ci_low"].notna().any():
        notes.append(_("{0}: {1}-konfidensinterval (Korn-Graubard).").format(interval_heading(), confidence()))
    return notes + tables.notes(table[["computed"]])


#: The space between two columns of the report, and the indent of an id's continuation lines.
GAP, INDENT = "  ", "  "
#: The narrowest the statistic's column gets, however wide the others.
NARROWEST = 20


def columns(headers: list[str], rows: list[list[str]], align: str, width: int) -> list[str]:
    """A plain-text table, each column aligned as `align` says ('<' left, '>' right); the first
    column wrapped to what the others leave of `width`."""
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows)]
    widths[0] = max(NARROWEST, min(widths[0], width - sum(widths[1:]) - len(GAP) * (len(widths) - 1)))

    def line(cells: list[str]) -> str:
        return GAP.join(cell.ljust(w) if a == "<" else cell.rjust(w) for cell, w, a in zip(cells, widths, align)).rstrip()

    lines = [line(headers), line(["-" * w for w in widths])]
    for first, *rest in rows:
        name, *more = broken(first, widths[0])
        lines.append(line([name, *rest]))
        lines += [line([continued] + [""] * len(rest)) for continued in more]
    return lines


def broken(name: str, width: int) -> list[str]:
    """A statistic's id in lines of at most `width`, broken after a '.' or '+' where it can be,
    its continuation lines indented."""
    lines = [""]
    for token in re.findall(r"[^.+]*[.+]|[^.+]+", name):
        while token:
            room = max(1, width - (len(INDENT) if len(lines) > 1 else 0) - len(lines[-1]))
            if len(token) <= room:
                lines[-1], token = lines[-1] + token, ""
            elif lines[-1]:
                lines.append("")
            else:
                lines[-1], token = token[:room], token[room:]
                lines.append("")
    lines = [line for line in lines if line] or [""]
    return lines[:1] + [INDENT + line for line in lines[1:]]


def wrapped(paragraph: str, width: int) -> list[str]:
    return textwrap.wrap(paragraph, width, break_on_hyphens=False) or [""]


def arguments(argv: list[str] | None) -> argparse.Namespace:
    """The statistics record to verify and the report's language (the option, else LANGUAGE_ENV, else Danish)."""
    parser = argparse.ArgumentParser(prog="python -m innobarometer.presentation.verification", description="Compare the computed statistics with the public record.")
    parser.add_argument("statistics", nargs="?", type=Path, default=STATISTICS_FILE, help="the statistics record (default: _build/statistics.csv)")
    parser.add_argument("--language", choices=LANGUAGES, help=f"the report's language (default: ${LANGUAGE_ENV}, else {DANISH})")
    args = parser.parse_args(argv)
    if args.language is None:
        args.language = os.environ.get(LANGUAGE_ENV, "").strip() or DANISH
        if args.language not in LANGUAGES:
            parser.error(f"{LANGUAGE_ENV} is {printable(args.language)!r}; the languages are {', '.join(LANGUAGES)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    with speaking(args.language):
        if not args.statistics.exists():
            print(_("{} findes ikke: byg bogen først (make verify gør det).").format(printable(args.statistics)), file=sys.stderr)
            return 1
        stats = statistics_record.read(args.statistics)
        print(report(stats, published.facts()))
        if failed(comparison(stats, published.facts())):
            print(_("VERIFIKATIONEN FEJLEDE: beregnede tal afviger fra de offentliggjorte."), file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
