import pytest

from config.spreadsheet import safe_cell


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("x")', "@SUM(A1)", "+1+cmd|' /C calc'!A0", "-2+3", "+A1", "\tx", "\rx"],
)
def test_cells_that_a_spreadsheet_would_run_get_a_leading_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["+358 40 123 4567", "-5", "Kuopion Martat ry", "", "12 €"])
def test_plain_text_numbers_and_phone_numbers_stay_as_they_are(text):
    assert safe_cell(text) == text


def test_an_empty_value_is_an_empty_cell():
    assert safe_cell(None) == ""
