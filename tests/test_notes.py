"""The standing notes on where the numbers come from, in each edition's language."""

import re

import pytest

from innobarometer.presentation.notes import data_note, data_note_text, file_label, source_line, unpublished_basis, unpublished_note, verification_note, with_basis
from innobarometer.text.language import speaking

#: Letters and words only Danish writes: what an English text must not contain.
DANISH = re.compile(r"[æøåÆØÅ»«]|\b(og|af|er|fra|til|med|ikke|tallene|beregnet)\b", re.IGNORECASE)
ENGLISH_NOTES = [
    data_note, data_note_text, source_line, verification_note, unpublished_basis,
    lambda: unpublished_note("complex innovations more often improve quality"), lambda: with_basis("No combination differs."),
]


@pytest.fixture(params=["synthetic", "microdata"])
def data(request, tmp_path, monkeypatch):
    """The book built on the synthetic stand-in, or on a microdata file."""
    if request.param == "microdata":
        monkeypatch.setenv("INNOBAROMETER_DATA", str(tmp_path / "barometer.csv"))
    else:
        monkeypatch.delenv("INNOBAROMETER_DATA", raising=False)
    return request.param


@pytest.mark.parametrize("note", ENGLISH_NOTES)
def test_english_notes_have_no_danish(data, note):
    with speaking("en"):
        assert not DANISH.search(note())


def test_the_danish_data_note_is_the_default_language(data):
    assert data_note().count("beregnet fra") == 1


def test_the_english_data_note_names_the_data_the_numbers_are_computed_from(data):
    with speaking("en"):
        note = data_note()
    expected = "from a **synthetic data set**" if data == "synthetic" else "from the microdata file `barometer.csv`"
    assert note.startswith(":::{admonition} " + ("Synthetic data" if data == "synthetic" else "Data")) and expected in note


def test_a_file_name_is_quoted_as_each_language_quotes(monkeypatch, tmp_path):
    monkeypatch.setenv("INNOBAROMETER_DATA", str(tmp_path / "fil.csv"))
    with speaking("en"):
        english = file_label()
    assert (file_label(), english) == ("»fil.csv«", "“fil.csv”")


def test_the_verification_note_names_the_status_as_the_table_labels_it(data):
    with speaking("en"):
        english = verification_note()
    assert "What “Reproduced” proves here" in english and "Hvad »Gengivet« beviser her" in verification_note()


def test_an_english_finding_is_prefixed_with_its_data_and_continues_in_lower_case(data):
    with speaking("en"):
        text = with_basis("No combination differs.")
    assert text.startswith("In the ") and text.endswith("it looks like this: no combination differs.")


def test_the_unpublished_note_states_the_message_the_chapter_gives_it(data):
    assert "kun budskabet: mere kvalitet. Søjlerne her er" in unpublished_note("mere kvalitet")
