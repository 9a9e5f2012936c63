"""A POST without a CSRF token is refused by every URL of the project, and changes nothing.

Each URL is tried with the kwargs the permission matrix builds, signed in as the first member of
the cast the matrix lets in (so the refusal comes from the CSRF check, not from a permission).
The admin and the account pages are tried too: they are Django's and allauth's, but a wrapper
around them (the admin login, MFA) could still lose the protection.
"""

import re

import pghistory.models
import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.security.matrix import LOGIN, MATRIX, World
from tests.security.urls import all_routes

# Who posts: the most powerful role the URL lets in.
PREFERENCE = [
    "staff",
    "org_admin",
    "member",
    "other_org_admin",
    "resident",
    "staff_without_mfa",
    "anonymous",
]
ACCOUNT_URLS = [
    "account_login",
    "account_logout",
    "account_signup",
    "account_reset_password",
    "account_change_password",
    "account_email",
    "mfa_activate_totp",
    "mfa_authenticate",
]


def _dummy_kwargs(path: str) -> dict:
    """Values for a route's parameters when the matrix has no builder (the CSRF check runs
    before the view, so any value that resolves will do)."""
    kwargs = {}
    for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", path):
        kwargs[name] = "1" if converter in ("int", "") and name != "token" else "x-1"
    return kwargs


def _poster(expected: dict) -> str:
    for role in PREFERENCE:
        if expected[role] not in (LOGIN, 403, 404):
            return role
    return "anonymous"


def _targets(world):
    """(url, role) for every URL pattern of the project, the admin and the account pages."""
    targets = []
    for route in all_routes():
        if route.name in MATRIX:
            builder, expected = MATRIX[route.name]
            targets.append((reverse(route.name, kwargs=builder(world)), _poster(expected)))
        else:
            targets.append((reverse(route.name, kwargs=_dummy_kwargs(route.path)), "org_admin"))
    for model in admin.site._registry:
        meta = model._meta
        for action, kwargs in (
            ("changelist", {}),
            ("add", {}),
            ("change", {"object_id": "1"}),
            ("delete", {"object_id": "1"}),
        ):
            try:
                url = reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}", kwargs=kwargs)
            except NoReverseMatch:  # an admin without that view (e.g. no add)
                continue
            targets.append((url, "staff"))
    targets += [(reverse("admin:login"), "anonymous"), (reverse("admin:logout"), "staff")]
    targets += [(reverse(name), "staff") for name in ACCOUNT_URLS]
    targets.append((reverse("account_login"), "anonymous"))
    return targets


@pytest.mark.django_db
def test_every_url_refuses_a_post_without_a_csrf_token(request):
    world = World(request)
    targets = _targets(world)
    changes_before = _audit_event_count()
    assert len(targets) > 150, "the walk should reach every URL, the admin and the accounts"
    clients = {}
    accepted = []
    for url, role in targets:
        if role not in clients:
            clients[role] = Client(enforce_csrf_checks=True)
            user = world.user(role)
            if user is not None:
                clients[role].force_login(user)
        response = clients[role].post(url, {"confirm": "1", "name": "Väärennetty"})
        used = {template.name for template in response.templates}
        if response.status_code != 403 or "403_csrf.html" not in used:
            accepted.append(f"{url} as {role}: {response.status_code}")
    assert not accepted, "these accepted a POST without a CSRF token:\n" + "\n".join(accepted)
    assert _audit_event_count() == changes_before, "a refused POST wrote to the database"


def _audit_event_count() -> int:
    tracked = [m for m in apps.get_models() if issubclass(m, pghistory.models.Event)]
    return sum(model.objects.count() for model in tracked)
