"""The pages `make bench` measures, with the budgets from the benchmark issue (2 cores)."""

from config.benchmark import Page


def pages() -> list[Page]:
    return [
        Page("home", "/", budget_ms=30, max_queries=4),
    ]
