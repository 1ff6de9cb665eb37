"""Danish number formats: the one place that turns numbers into text for prose, tables and charts."""

from __future__ import annotations

NBSP = "\u00a0"
#: The locale of charts' axes and labels (vl-convert and vega name it so).
LOCALE = "da-DK"


def number(x: float, decimals: int = 0) -> str:
    """A number with Danish separators: 2362 -> '2.362', 0.5 (1 decimal) -> '0,5'."""
    text = f"{float(x):,.{decimals}f}"
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def percent(share: float, decimals: int = 0) -> str:
    """A share in 0..1 as Danish per cent: 0.7 -> '70 %' (non-breaking space)."""
    return f"{number(100 * share, decimals)}{NBSP}%"


def percent_range(low: float, high: float, decimals: int = 0) -> str:
    """A confidence interval as Danish per cent: '68-72 %'."""
    return f"{number(100 * low, decimals)}-{number(100 * high, decimals)}{NBSP}%"


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
