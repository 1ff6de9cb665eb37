"""Sentences that state what the data shows, in the edition's language: rankings, counts and
Figure 2's finding.

Each is computed from the estimates, so a page says what its own data file shows, whichever
file the book runs on. The English sentences follow English grammar (agreement, word order),
not the Danish word for word.
"""

from __future__ import annotations

import pandas as pd

from innobarometer.text.formatting import number, number_word, percent, points, quoted
from innobarometer.text.language import _


def joined(parts: list[str]) -> str:
    """An enumeration: 'a', 'a og b', 'a, b og c' in Danish; 'a', 'a and b', 'a, b and c' in English."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + _(" og ") + parts[-1]


def ranking_sentence(shares: pd.DataFrame, label: str = "label") -> str:
    """The types from most to least frequent, e.g. 'Proces- eller organisatorisk innovation er den
    hyppigst indførte innovationstype (70 %), foran ...'. Types whose shares print the same are
    named together as equally frequent; suppressed types are left out."""
    groups = _equal_groups(shares, label)
    if not groups:
        return _("Der er for få svar til at rangordne innovationstyperne.")
    (top, share), rest = groups[0], groups[1:]
    if len(top) == 1:
        sentence = _("{top} er den hyppigst indførte innovationstype ({share})")
    else:
        sentence = _(
            "{top} er lige hyppige og de hyppigst indførte innovationstyper (hver {share})"
        )
    sentence = sentence.format(top=joined([top[0]] + [l.lower() for l in top[1:]]), share=share)
    if rest:
        parts = [f"{joined([l.lower() for l in names])} ({_each(share, len(names))})" for names, share in rest]
        sentence += _(", foran ") + joined(parts)
    return sentence[0].upper() + sentence[1:] + "."


def most_frequent_title(shares: pd.DataFrame, label: str = "label") -> str:
    """Figure 1's message title: the most frequent type, e.g. 'Proces- og organisatoriske
    innovationer er den hyppigst indførte innovationstype' (the chapter's own words for that type)."""
    groups = _equal_groups(shares, label)
    if not groups:
        return _("Innovationstyperne i den offentlige sektor")
    top = groups[0][0]
    title = (
        _("{top} er den hyppigst indførte innovationstype")
        if len(top) == 1
        else _("{top} er de hyppigst indførte innovationstyper")
    )
    return title.format(top=joined([top[0]] + [l.lower() for l in top[1:]]))


def is_complex_organisational(combination: str) -> bool:
    """A combination of process/organisation with at least one other type ('process+service')."""
    types = combination.split("+")
    return "process" in types and len(types) > 1


def quality_title(combinations: pd.DataFrame) -> str:
    """Figure 2's message title: which combinations lead significantly more often to improved
    quality than the other innovations. The chapter's title ('Komplekse organisatoriske innovationer
    fører oftere til øget kvalitet') only where every such combination is a complex organisational one."""
    higher = combinations[combinations["shown"] & (combinations["difference"] > 0)]
    if higher.empty:
        return _(
            "Ingen kombination af innovationstyper fører signifikant oftere til øget kvalitet"
        )
    if higher["combination"].map(is_complex_organisational).all():
        return _(
            "Komplekse organisatoriske innovationer fører oftere til øget kvalitet"
        )
    labels = higher.sort_values("value", ascending=False, kind="stable")["label"].map(quoted).to_list()
    return _("{labels} fører oftere til øget kvalitet").format(
        labels=joined(labels), lead=_lead(len(labels))
    )


def _each(share: str, count: int) -> str:
    """A share said of one type ('43 %') or of each of several ('hver 46 %' / '46% each')."""
    if count == 1:
        return share
    return _("hver {share}").format(share=share)


def _equal_groups(shares: pd.DataFrame, label: str) -> list[tuple[list[str], str]]:
    """Labels grouped by their printed share, most frequent first: [(labels, '70 %'), ...]."""
    ranked = shares[~shares["suppressed"].astype(bool)].sort_values("value", ascending=False, kind="stable")
    groups: list[tuple[list[str], str]] = []
    for _position, row in ranked.iterrows():
        printed = percent(row["value"])
        if groups and groups[-1][1] == printed:
            groups[-1][0].append(row[label])
        else:
            groups.append(([row[label]], printed))
    return groups


def nothing_shown(combinations: pd.DataFrame, min_n: int) -> str | None:
    """Why Figure 2 (or one view of it) has no bars, or None when it has some."""
    if not combinations["tested"].any():
        return _(
            "Ingen kombination har nok innovationer (mindst {min_n}) til at blive testet."
        ).format(min_n=number(min_n))
    if not combinations["shown"].any():
        return _(
            "Ingen kombinationer fører signifikant oftere eller sjældnere til øget kvalitet end de øvrige innovationer."
        )
    return None


def example_verdict(p_adjusted: float, alpha: float) -> str:
    """The end of the worked example: whether its adjusted p-value is below the level, so shown."""
    below = p_adjusted < alpha
    return _(
        "{relation} {alpha}, så kombinationen {shown} i figuren"
    ).format(
        relation=_("under") if below else _("ikke under"),
        alpha=percent(alpha),
        shown=_("vises") if below else _("vises ikke"),
    )


def no_example() -> str:
    """Why the worked example has no numbers: no combination is tested and shown in these data."""
    return _(
        "I disse data er der ingen kombination, der både testes og kan vises, så eksemplet har ingen tal."
    )


def quality_finding(combinations: pd.DataFrame, min_n: int) -> str:
    """What Figure 2 shows: how many combinations lead significantly more or less often to
    improved quality than the other innovations, and which lies highest, against the other
    innovations' share (which the chart does not draw: its line is all innovations')."""
    if nothing_shown(combinations, min_n):
        return nothing_shown(combinations, min_n)
    shown = combinations[combinations["shown"]]
    higher, lower = shown[shown["difference"] > 0], shown[shown["difference"] < 0]
    parts = []
    if len(higher):
        parts.append(
            _(
                "{combinations} fører signifikant oftere til øget kvalitet end de øvrige innovationer"
            ).format(combinations=_combinations(len(higher)), lead=_lead(len(higher)))
        )
    if len(lower):
        # A clause of its own needs its verb and comparison; after the first it has them.
        less_often = (
            _("{combinations} signifikant sjældnere")
            if parts
            else _("{combinations} fører signifikant sjældnere til øget kvalitet end de øvrige innovationer")
        )
        parts.append(less_often.format(combinations=_combinations(len(lower)), lead=_lead(len(lower))))
    sentence = _(", og ").join(parts) + "."
    if len(higher):
        top = higher.sort_values("value", ascending=False).iloc[0]
        sentence += _(
            " Højest ligger {label} med {share} mod {rest} for de øvrige innovationer ({points})."
        ).format(label=quoted(top["label"]), share=percent(top["value"]), rest=percent(top["value"] - top["difference"]), points=points(top["difference"]))
    return sentence[0].upper() + sentence[1:]


def _combinations(count: int) -> str:
    """'to kombinationer' / 'two combinations': the count in words and the noun in its number."""
    singular = count == 1
    return (_("{count} kombination") if singular else _("{count} kombinationer")).format(count=number_word(count, neuter=False))


def _lead(count: int) -> str:
    """The English verb agreeing with its count of combinations: 'one ... leads', 'two ... lead'."""
    return "leads" if count == 1 else "lead"
