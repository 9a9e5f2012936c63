"""Every events URL has a row in the permission matrix; tests/security runs them for the cast."""

from tests.events.matrix import EVENTS_MATRIX
from tests.security.urls import all_routes


def test_every_events_url_has_a_row():
    names = {r.name for r in all_routes() if r.name.startswith("events:")}
    assert names - {"events:event-list"} == set(EVENTS_MATRIX)
