"""Standing Danish texts that depend on the data: the note on where the numbers come from."""

from __future__ import annotations

from innobarometer import disclosure
from innobarometer.escape import myst_text, printable
from innobarometer.paths import microdata_path, uses_synthetic_data
from innobarometer.tables import SUPPRESSED_REASON

UNCERTAIN = "\\*"  # the mark of an uncertain estimate, escaped for MyST


def data_note(page: str = "") -> str:
    """A MyST admonition saying whether the page's numbers come from the synthetic stand-in, in
    words that hold on a web page and at the start of the printed chapter (which says it once).

    `page="verification"` gives the Verifikation page's note: what a match proves on this file.
    """
    if page == "verification":
        return verification_note()
    if uses_synthetic_data():
        body = (
            "Tallene er beregnet fra et **syntetisk datasæt** med samme struktur som "
            "Innovationsbarometerets fortrolige mikrodata hos Danmarks Statistik. Datasættet er "
            "kalibreret, så de vægtede andele gengiver de offentliggjorte tal; tal uden et "
            "offentliggjort modstykke er illustrationer og ikke Innovationsbarometerets resultater."
        )
        title = "Syntetiske data"
    else:
        body = f"Tallene er beregnet fra mikrodatafilen {file_label(myst=True)}."
        title = "Data"
    return f":::{{admonition}} {title}\n:class: note\n{body}\n:::\n"


def data_note_text() -> str:
    """The data note in one plain sentence, for a figure's downloads and sources."""
    if uses_synthetic_data():
        return (
            "Beregnet fra et syntetisk datasæt med samme struktur som Innovationsbarometerets "
            "fortrolige mikrodata, kalibreret til de offentliggjorte tal; tal uden et offentliggjort "
            "modstykke er illustrationer."
        )
    return f"Beregnet fra mikrodatafilen {file_label()}."


def source_line() -> str:
    """The source line under a chart computed from the microdata."""
    if uses_synthetic_data():
        return (
            "Beregnet fra det syntetiske datasæt, kalibreret til Innovationsbarometeret, 2. udgave "
            "(Center for Offentlig Innovation og Danmarks Statistik)."
        )
    return f"Beregnet fra mikrodatafilen {file_label()} (Innovationsbarometeret, 2. udgave)."


def verification_note() -> str:
    """What "Gengivet" proves on the Verifikation page, for the file the book runs on."""
    title = "Hvad »Gengivet« beviser her"
    if uses_synthetic_data():
        body = (
            "Bogen er bygget på det **syntetiske datasæt**, som er kalibreret til netop de "
            "offentliggjorte tal. At de gengives, følger derfor af konstruktionen: det viser, at "
            "beregningerne (vægtning, andele, afrunding) hænger sammen med kalibreringen, og at "
            "intet tal er skrevet ind i teksten i hånden. Det beviser ikke, at tallene er "
            "Innovationsbarometerets: det kan kun en bygning på de rigtige mikrodata vise."
        )
    else:
        body = (
            f"Bogen er bygget på mikrodatafilen {file_label(myst=True)}. Et gengivet tal er her en uafhængig "
            "kontrol: det er beregnet fra filen og stemmer med det offentliggjorte."
        )
    body += (
        f" Et tal mærket {UNCERTAIN} bygger på færre end {disclosure.UNCERTAIN_BELOW} svar og er usikkert;"
        f" »–« står for et tal, der ikke vises: {SUPPRESSED_REASON}."
    )
    return f":::{{admonition}} {title}\n:class: note\n{body}\n:::\n"


def file_label(myst: bool = False) -> str:
    """The microdata file's name as prose shows it; escaped for MyST where it goes into markup
    (invisible characters shown escaped either way)."""
    name = microdata_path().name
    return f"»{myst_text(name) if myst else printable(name)}«"


def unpublished_basis() -> str:
    """The caption's closing sentence for a figure with no published numbers behind it."""
    if uses_synthetic_data():
        return "Illustration fra syntetiske data."
    return f"Beregnet fra mikrodatafilen {file_label()}; tallene er ikke offentliggjort af Innovationsbarometeret."


def unpublished_note() -> str:
    """The box on a figure whose numbers the barometer did not publish (only its message)."""
    if uses_synthetic_data():
        body = (
            "Innovationsbarometeret har ikke offentliggjort tallene bag denne figur, kun budskabet: "
            "komplekse organisatoriske innovationer fører oftere til øget kvalitet. Søjlerne her er "
            "derfor en illustration, beregnet fra det syntetiske datasæt, der er lavet, så det "
            "gengiver den offentliggjorte retning. Ingen søjle er et resultat fra Innovationsbarometeret."
        )
    else:
        body = (
            "Innovationsbarometeret har ikke offentliggjort tallene bag denne figur, kun budskabet: "
            "komplekse organisatoriske innovationer fører oftere til øget kvalitet. Søjlerne her er "
            f"beregnet fra mikrodatafilen {file_label(myst=True)} og er ikke offentliggjorte tal."
        )
    return f":::{{important}}\n{body}\n:::\n"


def with_basis(finding: str) -> str:
    """A finding prefixed with the data it holds in, e.g. 'I det syntetiske datasæt ...: ingen ...'."""
    if uses_synthetic_data():
        prefix = "I det syntetiske datasæt, som bogen er bygget på, ser det sådan ud"
    else:
        prefix = f"I mikrodatafilen {file_label()}, som bogen er bygget på, ser det sådan ud"
    return f"{prefix}: {finding[0].lower()}{finding[1:]}"


def dataset_description(calibration, assumptions, population: str, respondents: int) -> list:
    """The method page's account of the data the book is computed from: for the stand-in its
    calibration targets and assumptions (tables given as Markdown), else the file."""
    from IPython.display import Markdown

    from innobarometer.formatting import number

    if not uses_synthetic_data():
        return [
            Markdown(
                f"Tallene i denne udgave er beregnet fra mikrodatafilen {file_label(myst=True)} med "
                f"{number(respondents)} besvarelser. Filen er valideret mod kodebogen og svarreglerne, "
                "før noget blev beregnet."
            )
        ]
    return [
        Markdown(
            "Innovationsbarometerets mikrodata er fortrolige hos Danmarks Statistik. Bogen leveres derfor "
            "med et syntetisk datasæt med samme struktur[ (`data/synthetic/workplaces.csv`)]{.web-only}, "
            "lavet af en generator med fast startværdi[ (`python -m innobarometer.synthesize`)]{.web-only}. "
            "Det er kalibreret, så "
            "antallet af besvarelser og innovationer og de vægtede andele rammer de offentliggjorte tal:"
        ),
        calibration,
        Markdown(
            "Alt andet er antagelser. Hver antagelse står med sin begrundelse i "
            "[`data/synthetic/assumptions.yml`, og tabellen herunder er læst direkte derfra]{.web-only}"
            "[tabellen herunder, der er læst direkte fra datasættets fil med antagelser]{.print-only}. Populationen "
            f"er antaget at være {population} arbejdspladser."
        ),
        assumptions,
        Markdown(
            "Tal uden et offentliggjort modstykke, fx andelen med produktinnovation og alle tal i "
            "figur A, er derfor illustrationer og ikke Innovationsbarometerets resultater."
        ),
    ]
