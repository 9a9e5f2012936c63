"""Euros as Finnish readers expect them: 2 655 195,00 € (and €-amounts in English)."""

from decimal import Decimal

from django.utils.formats import number_format


def euros(amount: Decimal | int | None, decimals: int = 2) -> str:
    if amount is None or amount == "":
        return ""
    if isinstance(amount, str):
        amount = Decimal(amount)  # amounts kept as text in frozen versions
    return f"{number_format(amount, decimals, use_l10n=True, force_grouping=True)}\u00a0€"
