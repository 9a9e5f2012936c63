"""Finnish business ID (Y-tunnus) parsing and validation."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
_FORMS = (
    re.compile(r"^(?P<digits>\d{7})-?(?P<check>\d)$"),
    re.compile(r"^(?P<digits>\d{6})-(?P<check>\d)$"),  # old 6-digit IDs, padded with a 0
    re.compile(r"^FI(?P<digits>\d{7})(?P<check>\d)$"),  # the VAT form, e.g. FI20774740
)


def business_id_check_digit(digits: str) -> int | None:
    """The check digit for seven digits, or None when no valid ID can have them."""
    remainder = sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def normalise_business_id(value: str) -> str:
    """Return the ID as NNNNNNN-T, or raise ValidationError with a message for the user."""
    compact = re.sub(r"\s+", "", value or "").upper()
    for pattern in _FORMS:
        match = pattern.match(compact)
        if match:
            digits = match["digits"].rjust(7, "0")
            check = int(match["check"])
            break
    else:
        raise ValidationError(
            _("Enter the business ID in the form 1234567-8."), code="business_id_format"
        )
    expected = business_id_check_digit(digits)
    if expected is None or expected != check:
        raise ValidationError(
            _("This business ID is not valid: check the numbers."), code="business_id_check"
        )
    return f"{digits}-{check}"


def validate_business_id(value: str) -> None:
    if normalise_business_id(value) != value:
        raise ValidationError(
            _("Enter the business ID in the form 1234567-8."), code="business_id_format"
        )
