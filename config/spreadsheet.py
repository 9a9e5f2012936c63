"""CSV cells that spreadsheet programs will not run as formulas (CSV injection)."""

import re

# A plain number or phone number ("+358 40 123 4567", "-5") is data, not a formula.
_NUMBER = re.compile(r"[+-][\d\s-]*\d")


def safe_cell(value) -> str:
    """The text of a cell; one starting as a formula (=, @, +, -, tab, CR) gets a leading '."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "@", "\t", "\r"):
        return "'" + text
    if text[:1] in ("+", "-") and not _NUMBER.fullmatch(text):
        return "'" + text
    return text
