"""The codebook: one source for the schema and the Danish labels."""

from innobarometer.data import codebook
from innobarometer.text.language import speaking


def test_every_innovation_type_has_a_danish_label():
    assert codebook.type_label("process") == "Proces- eller organisatorisk innovation"
    assert set(codebook.TYPES) <= set(codebook.innovation_types().index)


def test_sector_codes_have_danish_labels():
    assert list(codebook.codes("sector")) == ["kommune", "region", "stat"]


def test_combination_label_puts_process_first():
    assert codebook.combination_label("service+process") == "Proces/organisation + service"


def test_required_columns_are_the_contract():
    required = {name for name, column in codebook.columns().items() if column.required}
    assert {"respondent_id", "sector", "weight", "latest_quality"} <= required
    assert "size_group" not in required


def test_english_type_labels_come_from_the_codebook():
    with speaking("en"):
        assert codebook.type_label("process") == "Process or organisational innovation"


def test_english_combination_label_puts_process_first():
    with speaking("en"):
        assert codebook.combination_label("service+process") == "Process/organisation + service"


def test_english_sector_views_name_every_level_of_government():
    with speaking("en"):
        assert list(codebook.sector_views().values()) == [
            "All public-sector workplaces", "Municipal workplaces", "Regional workplaces", "Central-government workplaces"
        ]


def test_english_question_text_joins_the_english_sub_items():
    with speaking("en"):
        assert codebook.question_text().startswith("New or significantly changed products? – ")


def test_every_label_has_its_english_counterpart():
    types = codebook.innovation_types()
    assert (types[["label_en", "short_en"]] != "").all().all()
    assert (types.loc[list(codebook.TYPES), "question_en"] != "").all()
    assert all(column.label_en for column in codebook.columns().values())
    with speaking("en"):
        assert all(codebook.codes("sector").values()) and all(codebook.codes("size_group").values())
