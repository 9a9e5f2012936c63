"""The grants entries of the project's permission matrix (tests/security/matrix.py).

Merge with `MATRIX.update(GRANTS_MATRIX)`; tests/grants/test_permission_matrix.py checks them
the same way until then. Objects belong to association A (the cast's member and org_admin).
"""

from decimal import Decimal

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


def grants(world):
    """A round with a sent, a draft and a decided application of A (built once per test)."""
    if not hasattr(world, "_grants"):
        from tests.grants import builders

        world.org_a  # noqa: B018 - builds the cast's members of A
        member = world.fixture("member")
        staff = world.fixture("staff")
        round = builders.make_round(budget=Decimal("100000"), year=2026)
        decided = builders.make_application(user=member, organisation=world.org_a, round=round)
        builders.submit(decided, member)
        decision = builders.decide(decided, staff, "1000")
        report = builders.services.report_submit(
            user=member, decision=decision, amount_used=Decimal("900"), narrative="Retki"
        )
        open_round = builders.make_round(always_open=True, kind="special")
        draft = builders.make_application(
            user=member, organisation=world.org_a, round=open_round, complete=True
        )
        world._grants = {
            "round": round,
            "decided": decided,
            "draft": draft,
            "decision": decision,
            "report": report,
            "attachment": decided.attachments.first(),
        }
    return world._grants


GRANTS_MATRIX = {
    "grants:round-detail": (lambda w: {"slug": grants(w)["round"].slug}, everyone(200)),
    "grants:application-start": (
        lambda w: {"slug": grants(w)["round"].slug},
        signed_in(200),
    ),
    "grants:application-list": (no_kwargs, signed_in(200)),
    "grants:application-detail": (
        lambda w: {"pk": grants(w)["decided"].pk},
        _only(MEMBERS_AND_STAFF, 200),
    ),
    "grants:application-edit": (lambda w: {"pk": grants(w)["draft"].pk}, _only(MEMBERS, 200)),
    "grants:attachment-upload": (lambda w: {"pk": grants(w)["draft"].pk}, signed_in(405)),
    "grants:application-submit": (lambda w: {"pk": grants(w)["draft"].pk}, _only(MEMBERS, 302)),
    "grants:version-detail": (
        lambda w: {"pk": grants(w)["decided"].pk, "number": 1},
        _only(MEMBERS_AND_STAFF, 200),
    ),
    "grants:attachment-download": (
        lambda w: {"pk": grants(w)["attachment"].pk},
        _only(MEMBERS_AND_STAFF, 200),
    ),
    "grants:attachment-remove": (lambda w: {"pk": grants(w)["attachment"].pk}, signed_in(405)),
    "grants:report-edit": (lambda w: {"pk": grants(w)["decided"].pk}, _only(MEMBERS, 200)),
    "grants:decision-index": (no_kwargs, everyone(302)),
    "grants:decision-list": (lambda w: {"year": 2026}, everyone(200)),
    "grants:decision-csv": (lambda w: {"year": 2026}, everyone(200)),
    "grants:staff-round-list": (no_kwargs, _staff_only()),
    "grants:staff-round-detail": (lambda w: {"pk": grants(w)["round"].pk}, _staff_only()),
    "grants:staff-round-budget": (lambda w: {"pk": grants(w)["round"].pk}, _staff_only()),
    "grants:staff-application-review": (
        lambda w: {"pk": grants(w)["decided"].pk},
        _staff_only(),
    ),
    "grants:staff-application-scores": (
        lambda w: {"pk": grants(w)["decided"].pk},
        _staff_only(405),
    ),
    "grants:staff-application-conflict": (
        lambda w: {"pk": grants(w)["decided"].pk},
        _staff_only(405),
    ),
    "grants:staff-application-return": (
        lambda w: {"pk": grants(w)["decided"].pk},
        _staff_only(405),
    ),
    "grants:staff-application-decide": (
        lambda w: {"pk": grants(w)["decided"].pk},
        _staff_only(405),
    ),
    "grants:staff-decision-publicity": (
        lambda w: {"pk": grants(w)["decision"].pk},
        _staff_only(405),
    ),
    "grants:staff-report-list": (no_kwargs, _staff_only()),
    "grants:staff-report-review": (lambda w: {"pk": grants(w)["report"].pk}, _staff_only()),
}
