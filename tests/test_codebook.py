"""The codebook: one source for the schema and the Danish labels."""

from innobarometer import codebook


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
