"""Number formats: Danish, and English for the English edition."""

import pytest

from innobarometer.text.formatting import NBSP, chart_locale, number, number_word, p_value, percent, percent_range, points, share_in_words, signed, times_as_many
from innobarometer.text.language import speaking


def test_thousands_use_a_dot():
    assert number(2362) == "2.362"


def test_decimals_use_a_comma():
    assert number(1234.5, 1) == "1.234,5"


def test_percent_rounds_a_share_and_uses_a_non_breaking_space():
    assert percent(0.7001) == f"70{NBSP}%"


def test_percent_with_a_decimal():
    assert percent(0.4321, 1) == f"43,2{NBSP}%"


def test_percent_range_gives_one_sign_for_both_ends():
    assert percent_range(0.68, 0.72) == f"68–72{NBSP}%"


def test_small_p_values_are_bounded():
    assert p_value(0.0001) == f"<{NBSP}0,001"
    assert p_value(0.0456) == "0,046"


def test_points_are_signed_percentage_points():
    assert points(0.144) == f"+14,4{NBSP}pct.-point"
    assert points(-0.05) == f"−5,0{NBSP}pct.-point"


def test_a_missing_number_is_refused_rather_than_printed_as_nan():
    with pytest.raises(ValueError, match="not finite"):
        percent(float("nan"))


def test_small_counts_are_written_as_words():
    assert number_word(4) == "fire" and number_word(1, neuter=True) == "et" and number_word(13) == "13"


def test_a_share_in_words_is_the_nearest_simple_fraction():
    assert share_in_words(0.80) == "fire ud af fem"
    assert share_in_words(0.70) == "syv ud af ti"


def test_a_whole_ratio_is_written_in_words_and_another_with_one_decimal():
    assert (times_as_many(2.0), times_as_many(2.5)) == ("to gange så mange", "2,5 gange så mange")


def test_english_says_twice_as_many():
    with speaking("en"):
        assert (times_as_many(2.0), times_as_many(3.0)) == ("twice as many", "three times as many")


def test_english_thousands_use_a_comma_and_decimals_a_point():
    with speaking("en"):
        assert number(2362) == "2,362" and number(1234.5, 1) == "1,234.5"


def test_english_percent_has_no_space_before_the_sign():
    with speaking("en"):
        assert percent(0.7001) == "70%" and percent(0.4321, 1) == "43.2%"


def test_english_percent_range_gives_one_sign_for_both_ends():
    with speaking("en"):
        assert percent_range(0.68, 0.72) == "68–72%"


def test_english_small_p_values_are_bounded_with_a_decimal_point():
    with speaking("en"):
        assert p_value(0.0001) == f"<{NBSP}0.001" and p_value(0.0456) == "0.046"


def test_english_points_are_signed_percentage_points():
    with speaking("en"):
        assert points(0.144) == f"+14.4{NBSP}percentage points" and signed(-6.3) == "−6.3"


def test_english_small_counts_are_written_as_words():
    with speaking("en"):
        assert number_word(4) == "four" and number_word(1, neuter=True) == "one" and number_word(13) == "13"


def test_english_share_in_words_is_the_nearest_simple_fraction():
    with speaking("en"):
        assert share_in_words(0.80) == "four out of five"


def test_charts_take_the_editions_locale():
    assert chart_locale() == "da-DK"
    with speaking("en"):
        assert chart_locale() == "en-GB"
