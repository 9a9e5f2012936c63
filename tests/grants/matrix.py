"""The grants rows of the project's permission matrix (merged in tests/security/matrix.py,
which checks every URL for the whole cast). Objects belong to association A (the cast's member
and org_admin)."""

from decimal import Decimal
from functools import cached_property

from tests.security.matrix import CAST, LOGIN, everyone, no_kwargs, signed_in


def _only(roles, status, others=404, anonymous=LOGIN):
    answers = dict.fromkeys(CAST, others)
    answers["anonymous"] = anonymous
    answers.update(dict.fromkeys(roles, status))
    return answers


def _staff_only(status=200):
    """Behind the admin's permission: others are sent to the admin login (which sends them on)."""
    answers = dict.fromkeys(CAST, 302)
    answers["anonymous"] = LOGIN
    answers["staff"] = status
    return answers


MEMBERS_AND_STAFF = ("member", "org_admin", "staff")
MEMBERS = ("member", "org_admin")


class GrantsWorld:
    """Grants objects of association A, each built only when an entry asks for it."""

    def __init__(self, world):
        from tests.grants import builders

        self.world, self.builders = world, builders
        world.org_a  # noqa: B018 - builds the cast's members of A
        self.member = world.fixture("member")

    @cached_property
    def round(self):
        return self.builders.make_round(budget=Decimal("100000"), year=2026)

    @cached_property
    def sent(self):
        application = self.builders.make_application(
            user=self.member, organisation=self.world.org_a, round=self.round
        )
        self.builders.submit(application, self.member)
        return application

    @cached_property
    def decision(self):
        return self.builders.decide(self.sent, self.world.fixture("staff"), "1000")

    @cached_property
    def report(self):
        return self.builders.services.report_submit(
            user=self.member, decision=self.decision, amount_used=Decimal("900"), narrative="Retki"
        )

    @cached_property
    def draft(self):
        open_round = self.builders.make_round(always_open=True, kind="special")
        return self.builders.make_application(
            user=self.member, organisation=self.world.org_a, round=open_round, complete=False
        )


def grants(world) -> GrantsWorld:
    if not hasattr(world, "_grants"):
        world._grants = GrantsWorld(world)
    return world._grants


GRANTS_MATRIX = {
    "grants:round-detail": (lambda w: {"slug": grants(w).round.slug}, everyone(200)),
    "grants:application-start": (
        lambda w: {"slug": grants(w).round.slug},
        signed_in(200),
    ),
    "grants:application-list": (no_kwargs, signed_in(200)),
    "grants:application-detail": (
        lambda w: {"pk": grants(w).sent.pk},
        _only(MEMBERS_AND_STAFF, 200),
    ),
    "grants:application-edit": (lambda w: {"pk": grants(w).draft.pk}, _only(MEMBERS, 200)),
    "grants:attachment-upload": (lambda w: {"pk": grants(w).draft.pk}, signed_in(405)),
    "grants:application-submit": (lambda w: {"pk": grants(w).draft.pk}, _only(MEMBERS, 302)),
    "grants:version-detail": (
        lambda w: {"pk": grants(w).sent.pk, "number": 1},
        _only(MEMBERS_AND_STAFF, 200),
    ),
    "grants:attachment-download": (
        lambda w: {"pk": grants(w).sent.attachments.first().pk},
        _only(MEMBERS_AND_STAFF, 200),
    ),
    "grants:attachment-remove": (
        lambda w: {"pk": grants(w).sent.attachments.first().pk},
        signed_in(405),
    ),
    "grants:report-edit": (
        lambda w: {"pk": grants(w).decision.application_id},
        _only(MEMBERS, 200),
    ),
    "grants:decision-index": (no_kwargs, everyone(302)),
    "grants:decision-list": (lambda w: {"year": 2026}, everyone(200)),
    "grants:decision-csv": (lambda w: {"year": 2026}, everyone(200)),
    "grants:staff-round-list": (no_kwargs, _staff_only()),
    "grants:staff-round-detail": (lambda w: {"pk": grants(w).round.pk}, _staff_only()),
    "grants:staff-round-budget": (lambda w: {"pk": grants(w).round.pk}, _staff_only()),
    "grants:staff-application-review": (
        lambda w: {"pk": grants(w).sent.pk},
        _staff_only(),
    ),
    "grants:staff-application-scores": (
        lambda w: {"pk": grants(w).sent.pk},
        _staff_only(405),
    ),
    "grants:staff-application-conflict": (
        lambda w: {"pk": grants(w).sent.pk},
        _staff_only(405),
    ),
    "grants:staff-application-return": (
        lambda w: {"pk": grants(w).sent.pk},
        _staff_only(405),
    ),
    "grants:staff-application-decide": (
        lambda w: {"pk": grants(w).sent.pk},
        _staff_only(405),
    ),
    "grants:staff-decision-publicity": (
        lambda w: {"pk": grants(w).decision.pk},
        _staff_only(405),
    ),
    "grants:staff-report-list": (no_kwargs, _staff_only()),
    "grants:staff-report-review": (lambda w: {"pk": grants(w).report.pk}, _staff_only()),
}
