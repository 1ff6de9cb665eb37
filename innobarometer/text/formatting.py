"""Number formats in the edition's language: the one place that turns numbers into text for prose,
tables and charts.

Separators and the per-cent sign come from Babel's CLDR data (da_DK for the Danish edition, en_GB
for the English); only what CLDR has no pattern for (ranges, signed differences, p-values,
percentage points, words) is written here, once per language.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_EVEN, Decimal

from babel.numbers import format_decimal, format_percent

from innobarometer.text.language import _, ENGLISH, language

#: What a table or chart shows instead of a suppressed estimate, and the mark of an uncertain one.
DASH = "–"
UNCERTAIN_MARK = "*"
#: A cell of text that is a number as the formats here write it (a share, a range, points).
NUMERIC_TEXT = re.compile(r"^[\d+−<–-][\d\s.,%\u00a0+−–-]*(%|pct\.-point|percentage points)?\*?$")

NBSP = "\u00a0"
#: The locale of charts' axes and labels per language, as vl-convert and vega name it.
CHART_LOCALES = {"da": "da-DK", "en": "en-GB"}
#: Babel's name of each language's locale.
BABEL_LOCALES = {"da": "da_DK", "en": "en_GB"}


def chart_locale() -> str:
    """The locale of charts' axes and labels in the current edition: 'da-DK' or 'en-GB'."""
    return CHART_LOCALES[language()]


def _pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _finite(x: float) -> float:
    """The number, or ValueError when it is missing or infinite: no page may print 'nan %'."""
    if not math.isfinite(float(x)):
        raise ValueError(f"cannot print a number that is not finite: {x!r}")
    return float(x)


def format_locale() -> dict:
    """vega's number format in the edition's language, with its per-cent sign (Danish writes a space before it)."""
    import vl_convert

    return {**vl_convert.get_format_locale(chart_locale()), "percent": percent_sign()}


def percent_sign() -> str:
    """What follows a number of per cent: Danish writes a (non-breaking) space before the sign."""
    return _("\u00a0%")


def number(x: float, decimals: int = 0) -> str:
    """A number with the edition's separators: 2362 -> '2.362' / '2,362', 0.5 (1 decimal) -> '0,5' / '0.5'."""
    return format_decimal(_finite(x), format=_pattern(decimals), locale=BABEL_LOCALES[language()])


def in_steps_of(value: float, step: float) -> Decimal:
    """`value` counted in `step`s and rounded as the pages print it (Babel's rule): the number's
    shortest decimal form, ties to even. 0.295 in steps of 0.01 is 30, as it prints (30 %),
    where float division gives 29.4999... and Python's round() 29."""
    return (Decimal(repr(float(value))) / Decimal(repr(float(step)))).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)


def percent(share: float, decimals: int = 0) -> str:
    """A share in 0..1 as per cent: 0.7 -> '70 %' (non-breaking space) in Danish, '70%' in English."""
    return format_percent(_finite(share), format=_pattern(decimals) + percent_sign(), locale=BABEL_LOCALES[language()])


def percent_range(low: float, high: float, decimals: int = 0) -> str:
    """A confidence interval as per cent, with an en dash: '68–72 %' / '68–72%'."""
    return f"{number(100 * low, decimals)}–{number(100 * high, decimals)}{percent_sign()}"


def p_value(p: float) -> str:
    """A p-value as usually printed: '< 0,001' / '< 0.001' below a thousandth, else three decimals."""
    return f"<{NBSP}{number(0.001, 3)}" if p < 0.001 else number(p, 3)


def signed(x: float, decimals: int = 1) -> str:
    """A number with its sign (a true minus): 14.4 -> '+14,4' / '+14.4', -6.3 -> '−6,3' / '−6.3'."""
    sign = "+" if x > 0 else ("−" if x < 0 else "")
    return f"{sign}{number(abs(x), decimals)}"


def points(difference: float, decimals: int = 1) -> str:
    """A difference of shares in percentage points, signed: 0.144 -> '+14,4 pct.-point' / '+14.4 percentage points'."""
    return f"{signed(100 * difference, decimals)}{NBSP}{_('pct.-point')}"


#: Words for small counts, as a sentence writes them ("fire kommuner", "four municipalities").
NUMBER_WORDS = ["nul", "en", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti", "elleve", "tolv"]
NUMBER_WORDS_EN = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]


def number_word(count: int, neuter: bool = False) -> str:
    """A count as prose writes it: words up to twelve ('fire' / 'four'; Danish 'et' for a neuter one), digits above."""
    words = NUMBER_WORDS_EN if language() == ENGLISH else NUMBER_WORDS
    if 0 <= count < len(words):
        return "et" if count == 1 and neuter and words is NUMBER_WORDS else words[count]
    return number(count)


def times_as_many(ratio: float) -> str:
    """A ratio of two counts as prose writes it: 'to gange så mange' / 'twice as many'; with one
    decimal when it is not whole ('2,5 gange så mange')."""
    count = number_word(int(ratio)) if float(ratio).is_integer() else number(ratio, 1)
    return _("to gange så mange") if ratio == 2 else _("{count} gange så mange").format(count=count)


def share_in_words(share: float) -> str:
    """A share as the nearest simple fraction in words, e.g. 0.8 -> 'fire ud af fem' / 'four out of five'."""
    best = min(((k, d) for d in range(2, 11) for k in range(1, d)), key=lambda f: (abs(f[0] / f[1] - share), f[1]))
    return f"{number_word(best[0], neuter=False)} {_('ud af')} {number_word(best[1])}"


def quoted(words: str) -> str:
    """Words in the edition's quotation marks: »Gengivet« in Danish, “Reproduced” in English."""
    return _("»{}«").format(words)
