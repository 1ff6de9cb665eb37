"""Standing texts that depend on the data, in the edition's language: the note on where the
numbers come from."""

from __future__ import annotations

from pathlib import Path

from innobarometer.data.publication import said
from innobarometer.estimates import disclosure
from innobarometer.paths import microdata_path, uses_synthetic_data
from innobarometer.presentation.tables import suppressed_reason
from innobarometer.text.escape import myst_code, printable
from innobarometer.text.formatting import number, quoted
from innobarometer.text.language import _

UNCERTAIN = "\\*"  # the mark of an uncertain estimate, escaped for MyST


def data_note(page: str = "") -> str:
    """A MyST admonition saying whether the page's numbers come from the synthetic stand-in, in
    words that hold on a web page and at the start of the printed chapter (which says it once).

    `page="verification"` gives the verification page's note: what a match proves on this file.
    """
    if page == "verification":
        return verification_note()
    if uses_synthetic_data():
        body = _(
            "Tallene er beregnet fra et **syntetisk datasæt** med samme struktur som "
            "Innovationsbarometerets fortrolige mikrodata hos Danmarks Statistik. Datasættet er "
            "kalibreret, så de vægtede andele gengiver de offentliggjorte tal; tal uden et "
            "offentliggjort modstykke er illustrationer og ikke Innovationsbarometerets resultater."
        )
        title = _("Syntetiske data")
    else:
        body = _("Tallene er beregnet fra mikrodatafilen {file}.")
        body = body.format(file=file_label(myst=True))
        title = "Data"
    return f":::{{admonition}} {title}\n:class: note\n{body}\n:::\n"


def data_note_text() -> str:
    """The data note in one plain sentence, for a figure's downloads and sources."""
    if uses_synthetic_data():
        return _(
            "Beregnet fra et syntetisk datasæt med samme struktur som Innovationsbarometerets "
            "fortrolige mikrodata, kalibreret til de offentliggjorte tal; tal uden et offentliggjort "
            "modstykke er illustrationer."
        )
    return _("Beregnet fra mikrodatafilen {file}.").format(file=file_label())


def source_line() -> str:
    """The source line under a chart computed from the microdata."""
    if uses_synthetic_data():
        return _(
            "Beregnet fra det syntetiske datasæt, kalibreret til {edition} ({publisher})."
        ).format(edition=edition(), publisher=said("publisher"))
    return _("Beregnet fra mikrodatafilen {file} ({edition}).").format(
        file=file_label(), edition=edition()
    )


def edition() -> str:
    """The publication the book re-creates, as a sentence names it (not at its start)."""
    named = said("edition")
    return named[0].lower() + named[1:] if named.startswith("The ") else named


def verification_note() -> str:
    """What a reproduced number proves on the verification page, for the file the book runs on."""
    from innobarometer.presentation.verification import status_label

    title = _("Hvad {status} beviser her").format(status=quoted(status_label("match")))
    if uses_synthetic_data():
        body = _(
            "Bogen er bygget på det **syntetiske datasæt**, som er kalibreret til netop de "
            "offentliggjorte tal. At de gengives, følger derfor af konstruktionen: det viser, at "
            "beregningerne (vægtning, andele, afrunding) hænger sammen med kalibreringen, og at "
            "intet tal er skrevet ind i teksten i hånden. Det beviser ikke, at tallene er "
            "Innovationsbarometerets: det kan kun en bygning på de rigtige mikrodata vise."
        )
    else:
        body = _(
            "Bogen er bygget på mikrodatafilen {file}. Et gengivet tal er her en uafhængig "
            "kontrol: det er beregnet fra filen og stemmer med det offentliggjorte."
        ).format(file=file_label(myst=True))
    body += _(
        " Et tal mærket {mark} bygger på færre end {few} svar og er usikkert;"
        " {dash} står for et tal, der ikke vises: {reason}."
    ).format(mark=UNCERTAIN, few=number(disclosure.UNCERTAIN_BELOW), dash=quoted("–"), reason=suppressed_reason())
    return f":::{{admonition}} {title}\n:class: note\n{body}\n:::\n"


def file_label(myst: bool = False) -> str:
    """The microdata file's name as prose shows it: quoted, or as code where it goes into MyST
    markup, which shows it as it is (invisible characters shown escaped either way)."""
    name = microdata_path().name
    return myst_code(name) if myst else quoted(printable(name))


def unpublished_basis() -> str:
    """The caption's closing sentence for a figure with no published numbers behind it."""
    if uses_synthetic_data():
        return _("Illustration fra syntetiske data.")
    return _(
        "Beregnet fra mikrodatafilen {file}; tallene er ikke offentliggjort af Innovationsbarometeret."
    ).format(file=file_label())


def unpublished_note(published_message: str) -> str:
    """The box on a figure whose numbers the barometer did not publish, only its message (a clause)."""
    message = _(
        "Innovationsbarometeret har ikke offentliggjort tallene bag denne figur, kun budskabet: "
        "{message}. Søjlerne her er "
    ).format(message=published_message)
    if uses_synthetic_data():
        body = message + _(
            "derfor en illustration, beregnet fra det syntetiske datasæt, der er lavet, så det "
            "gengiver den offentliggjorte retning. Ingen søjle er et resultat fra Innovationsbarometeret."
        )
    else:
        body = message + _(
            "beregnet fra mikrodatafilen {file} og er ikke offentliggjorte tal."
        ).format(file=file_label(myst=True))
    return f":::{{important}}\n{body}\n:::\n"


def with_basis(finding: str) -> str:
    """A finding prefixed with the data it holds in, e.g. 'I det syntetiske datasæt ...: ingen ...'."""
    if uses_synthetic_data():
        prefix = _(
            "I det syntetiske datasæt, som bogen er bygget på, ser det sådan ud"
        )
    else:
        prefix = _(
            "I mikrodatafilen {file}, som bogen er bygget på, ser det sådan ud"
        ).format(file=file_label())
    return f"{prefix}: {finding[0].lower()}{finding[1:]}"


def loaded_data(frame):
    """What a notebook read, as its load cell shows it: the data note (synthetic or the file),
    then the file's name, its rows and the design the estimates use."""
    from IPython.display import Markdown

    from innobarometer.estimates.estimate import design_summary
    from innobarometer.presentation.design import design_sentence

    read = _("Indlæst: {file}, {rows} rækker (én pr. besvarende arbejdsplads).")
    line = read.format(file=myst_code(printable(Path(frame.attrs["path"]).name)), rows=number(len(frame)))
    return Markdown(f"{data_note()}\n{line} {design_sentence(design_summary(frame))}\n")
