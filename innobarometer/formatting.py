"""Danish number formats: the one place that turns numbers into text for prose, tables and charts.

Separators and the per-cent sign come from Babel's CLDR data for da_DK; only what CLDR has no
pattern for (ranges, signed differences, p-values, percentage points, words) is written here.
"""

from __future__ import annotations

import math

from babel.numbers import format_decimal, format_percent

NBSP = "\u00a0"
#: The locale of charts' axes and labels (vl-convert and vega name it so), and Babel's name for it.
LOCALE = "da-DK"
BABEL_LOCALE = "da_DK"


def _pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _finite(x: float) -> float:
    """The number, or ValueError when it is missing or infinite: no page may print 'nan %'."""
    if not math.isfinite(float(x)):
        raise ValueError(f"cannot print a number that is not finite: {x!r}")
    return float(x)


def number(x: float, decimals: int = 0) -> str:
    """A number with Danish separators: 2362 -> '2.362', 0.5 (1 decimal) -> '0,5'."""
    return format_decimal(_finite(x), format=_pattern(decimals), locale=BABEL_LOCALE)


def percent(share: float, decimals: int = 0) -> str:
    """A share in 0..1 as Danish per cent: 0.7 -> '70 %' (non-breaking space)."""
    return format_percent(_finite(share), format=_pattern(decimals) + NBSP + "%", locale=BABEL_LOCALE)


def percent_range(low: float, high: float, decimals: int = 0) -> str:
    """A confidence interval as Danish per cent, with an en dash: '68–72 %'."""
    return f"{number(100 * low, decimals)}–{number(100 * high, decimals)}{NBSP}%"


def p_value(p: float) -> str:
    """A p-value as usually printed: '< 0,001' below a thousandth, else three decimals."""
    return f"<{NBSP}0,001" if p < 0.001 else number(p, 3)


def signed(x: float, decimals: int = 1) -> str:
    """A number with its sign (a true minus): 14.4 -> '+14,4', -6.3 -> '−6,3'."""
    sign = "+" if x > 0 else ("−" if x < 0 else "")
    return f"{sign}{number(abs(x), decimals)}"


def points(difference: float, decimals: int = 1) -> str:
    """A difference of shares in percentage points, signed: 0.144 -> '+14,4 pct.-point'."""
    return f"{signed(100 * difference, decimals)}{NBSP}pct.-point"


#: Danish words for small counts, as a sentence writes them ("fire kommuner").
NUMBER_WORDS = ["nul", "en", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti", "elleve", "tolv"]


def number_word(count: int, neuter: bool = False) -> str:
    """A count as Danish prose writes it: words up to twelve ('fire'; 'et' for a neuter one), digits above."""
    if 0 <= count < len(NUMBER_WORDS):
        return "et" if count == 1 and neuter else NUMBER_WORDS[count]
    return number(count)


def share_in_words(share: float) -> str:
    """A share as the nearest simple fraction in Danish words, e.g. 0.8 -> 'fire ud af fem'."""
    best = min(((k, d) for d in range(2, 11) for k in range(1, d)), key=lambda f: (abs(f[0] / f[1] - share), f[1]))
    return f"{number_word(best[0], neuter=False)} ud af {number_word(best[1])}"
