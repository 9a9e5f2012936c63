"""The section on an association's page in the directory: its public grants by year."""

from itertools import groupby

from grants.models import Decision


def organisation_grants(organisation, request) -> dict | None:
    decisions = list(
        Decision.objects.public()
        .granted()
        .filter(organisation=organisation)
        .select_related("round")
        .order_by("-round__year", "round__name")
    )
    if not decisions:
        return None
    grant_years = [
        {"year": year, "decisions": list(rows)}
        for year, rows in groupby(decisions, key=lambda decision: decision.round.year)
    ]
    for entry in grant_years:
        entry["total"] = sum(decision.amount for decision in entry["decisions"])
    return {"grant_years": grant_years}
