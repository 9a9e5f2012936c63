"""Optional links to other modules, looked up at call time so grants works without them."""

import importlib
import importlib.util
from decimal import Decimal


def free_space_use_value(organisation, year: int) -> Decimal | None:
    """The value of the association's free use of city spaces in `year`, when spaces reports it.

    None while the spaces module (or its `reports` module) is not installed.
    """
    try:
        spec = importlib.util.find_spec("spaces.reports")
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    reports = importlib.import_module("spaces.reports")
    function = getattr(reports, "free_use_value", None)
    if function is None:
        return None
    return function(organisation, year)
