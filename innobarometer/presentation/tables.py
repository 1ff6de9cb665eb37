"""Tables of estimates as Markdown in the edition's language and formats, so they typeset in HTML
and PDF alike."""

from __future__ import annotations


import pandas as pd
from IPython.display import Markdown

from innobarometer.estimates import disclosure
from innobarometer.text.formatting import DASH, NUMERIC_TEXT, UNCERTAIN_MARK, number, percent, percent_range
from innobarometer.text.language import _

def suppressed_reason() -> str:
    """Why an estimate is not shown: every case of the disclosure rule at once."""
    return _("færre end {n} har svaret ja eller færre end {n} nej, eller tallet ville afsløre et andet skjult tal").format(
        n=disclosure.MIN_RESPONDENTS
    )


def suppressed_note() -> str:
    """The note under a table with a suppressed estimate ('–')."""
    return _("{dash} Ikke vist: {reason}.").format(dash=DASH, reason=suppressed_reason())


def uncertain_note() -> str:
    """The note under a table with an uncertain estimate ('*')."""
    return _("{mark} Usikkert skøn: færre end {n} svar.").format(mark=UNCERTAIN_MARK, n=disclosure.UNCERTAIN_BELOW)


def share_heading() -> str:
    return _("Andel")


def category_heading() -> str:
    """The heading of the column naming what each row or bar is."""
    return _("Kategori")


def responses_heading() -> str:
    return _("Antal svar")


def ci_heading(alpha: float | None = None) -> str:
    """The heading of intervals at significance level `alpha` (the book's, ALPHA, if not given):
    'Konfidensinterval (95 %)', 'Konfidensinterval (99 %)' at 1 %."""
    if alpha is None:
        from innobarometer.estimates.estimate import ALPHA  # here, not above: the book's Sphinx builds need no svy

        alpha = ALPHA
    return _("Konfidensinterval ({level})").format(level=percent(1 - alpha))


def share_text(value: float, n: float) -> str:
    """A share as shown anywhere: '–' when suppressed, marked '*' when uncertain."""
    if pd.isna(value) or disclosure.is_suppressed(n, value):
        return DASH
    return percent(value) + (UNCERTAIN_MARK if disclosure.is_uncertain(n) else "")


def number_text(x: float, decimals: int = 0) -> str:
    """A number as a table shows it, '–' where there is none (a suppressed or undefined estimate)."""
    return DASH if pd.isna(x) else number(x, decimals)


def interval_text(low: float, high: float, n: float) -> str:
    return DASH if pd.isna(low) or pd.isna(high) or disclosure.is_suppressed(n) else percent_range(low, high)


def estimates_frame(table: pd.DataFrame, label: str, label_title: str, alpha: float | None = None) -> pd.DataFrame:
    """Estimates as text columns in the edition's language: label, share, CI (at level `alpha`), respondents."""
    return pd.DataFrame(
        {
            label_title: table[label].to_list(),
            share_heading(): [share_text(v, n) for v, n in zip(table["value"], table["n"])],
            ci_heading(alpha): [interval_text(lo, hi, n) for lo, hi, n in zip(table["ci_low"], table["ci_high"], table["n"])],
            responses_heading(): table["n"].map(number).to_list(),
        }
    )


def not_tested() -> str:
    """What a column of numbers says where it has no number."""
    return _("ikke testet")


def is_number_text(value: str) -> bool:
    """A cell of a column of numbers: a number, or the column's word for having none."""
    return bool(NUMERIC_TEXT.match(value)) or value in (DASH, not_tested())


def notes(frame: pd.DataFrame) -> list[str]:
    """The notes a table needs, in the edition's language: for suppressed and for uncertain estimates."""
    cells = frame.astype(str).to_numpy().ravel()
    found = []
    if any(c == DASH for c in cells):
        found.append(suppressed_note())
    if any(c.endswith(UNCERTAIN_MARK) for c in cells):
        found.append(uncertain_note())
    return found


class Table(Markdown):
    """A table as the book pastes it (Markdown, which typesets in HTML and PDF alike) and as a
    notebook shows it (HTML, which a reader of the downloaded notebook sees without Python)."""

    def __init__(self, frame: pd.DataFrame, markdown: str):
        super().__init__(markdown)
        self.frame = frame

    def _repr_html_(self) -> str:
        from html import escape

        notes_html = "".join(f"<p>{escape(note)}</p>" for note in notes(self.frame))
        return self.frame.to_html(index=False, escape=True, border=0) + notes_html


def alignments(frame: pd.DataFrame) -> list[str]:
    """Each column's alignment: a column of numbers right, under a right-aligned heading; text left."""
    return ["right" if i > 0 and frame[c].astype(str).map(is_number_text).all() else "left" for i, c in enumerate(frame.columns)]


def markdown(frame: pd.DataFrame) -> Table:
    """A text table as Markdown: columns of numbers right-aligned, text left-aligned; notes below."""
    # The cells are finished text: tabulate must not read '1.500' (Danish 1500) as the number 1.5.
    text = frame.to_markdown(index=False, colalign=alignments(frame), disable_numparse=True)
    return Table(frame, "\n\n".join([text] + [note.replace("*", "\\*", 1) for note in notes(frame)]))


def html(frame: pd.DataFrame, classes: str = "") -> str:
    """A text table as HTML, aligned as `markdown` aligns it: each heading and cell carries its
    column's `text-left` or `text-right` class (the classes the book's Markdown tables get)."""
    from html import escape

    align = [f"text-{a}" for a in alignments(frame)]
    head = "".join(f'<th scope="col" class="{a}">{escape(str(c))}</th>' for a, c in zip(align, frame.columns))
    body = "".join(
        "<tr>" + "".join(f'<td class="{a}">{escape(str(v))}</td>' for a, v in zip(align, row)) + "</tr>\n"
        for row in frame.itertuples(index=False)
    )
    return f'<table class="{escape(classes)}">\n<thead>\n<tr>{head}</tr>\n</thead>\n<tbody>\n{body}</tbody>\n</table>'


def estimates_table(table: pd.DataFrame, label: str, label_title: str, alpha: float | None = None) -> Table:
    return markdown(estimates_frame(table, label, label_title, alpha))
