"""The publication's identity (publication.yml): read once, written nowhere else."""

from pathlib import Path

import pytest

from innobarometer.data import publication
from innobarometer.paths import ROOT
from innobarometer.text.language import speaking

IDENTITY = {field: {"da": f"{field} på dansk", "en": f"{field} in English"} for field in publication.FIELDS} | {"chapter": "a_chapter"}


@pytest.fixture
def identity_file(tmp_path, monkeypatch):
    """Point the kit at an identity file written by the test."""
    import yaml

    def write(content: dict) -> Path:
        path = tmp_path / "publication.yml"
        path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
        monkeypatch.setattr(publication, "IDENTITY", path)
        publication.identity.cache_clear()
        return path

    yield write
    publication.identity.cache_clear()


def test_a_field_is_said_in_the_current_language(identity_file):
    identity_file(IDENTITY)
    with speaking("en"):
        assert publication.said("title") == "title in English"
    assert publication.said("title") == "title på dansk"


def test_a_field_without_a_language_is_refused_naming_the_file_and_field(identity_file):
    identity_file(IDENTITY | {"edition": {"da": "2. udgave"}})
    with pytest.raises(ValueError, match=r"publication\.yml: the field 'edition' has no text in en"):
        publication.identity()


def test_an_identity_without_its_chapter_is_refused(identity_file):
    identity_file({field: value for field, value in IDENTITY.items() if field != "chapter"})
    with pytest.raises(ValueError, match="'chapter'"):
        publication.identity()


def test_the_configuration_takes_the_title_and_author_and_defines_the_cover_texts_escaped(identity_file):
    identity_file(IDENTITY | {"title": {"da": "Tal & tekst 100%", "en": "Numbers & text"}})
    config = {"title": "old", "sphinx": {"config": {"latex_elements": {"maketitle": "\\publicationtitle"}}}}
    configured = publication.configuration(config, "da")
    assert (configured["title"], configured["author"]) == ("Tal & tekst 100%", "author på dansk")
    maketitle = configured["sphinx"]["config"]["latex_elements"]["maketitle"]
    assert "\\newcommand{\\publicationtitle}{Tal \\& tekst 100\\%}\n" in maketitle
    assert maketitle.endswith("\\publicationtitle")
    assert config["title"] == "old"  # the configuration read is left as it was


def test_no_title_or_edition_is_typed_in_the_code():
    """The identity's title and edition, in either language, appear in no module of the kit or the chapter."""
    said = [publication.identity()[field][language] for field in ("title", "edition") for language in ("da", "en")]
    modules = [*(ROOT / "innobarometer").rglob("*.py"), *(ROOT / publication.identity()["chapter"]).rglob("*.py")]
    typed = [f"{path.relative_to(ROOT)}: {text}" for path in modules for text in said if text in path.read_text(encoding="utf-8")]
    assert not typed
