"""Standing Danish texts that depend on the data: the note on where the numbers come from."""

from __future__ import annotations

from innobarometer.paths import microdata_path, uses_synthetic_data


def data_note() -> str:
    """A MyST admonition saying whether the page's numbers come from the synthetic stand-in."""
    if uses_synthetic_data():
        body = (
            "Tallene på denne side er beregnet fra et **syntetisk datasæt** med samme struktur som "
            "Innovationsbarometerets fortrolige mikrodata hos Danmarks Statistik. Datasættet er "
            "kalibreret, så de vægtede andele gengiver de offentliggjorte tal; tal uden et "
            "offentliggjort modstykke er illustrationer og ikke Innovationsbarometerets resultater."
        )
        title = "Syntetiske data"
    else:
        body = f"Tallene på denne side er beregnet fra mikrodatafilen `{microdata_path().name}`."
        title = "Data"
    return f":::{{admonition}} {title}\n:class: note\n{body}\n:::\n"


def source_line() -> str:
    """The source line under a chart computed from the microdata."""
    if uses_synthetic_data():
        return (
            "Beregnet fra det syntetiske datasæt, kalibreret til Innovationsbarometeret, 2. udgave "
            "(Center for Offentlig Innovation og Danmarks Statistik)."
        )
    return f"Beregnet fra mikrodatafilen {microdata_path().name} (Innovationsbarometeret, 2. udgave)."
