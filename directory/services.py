"""Writes that span models, send mail or must be audited: registration, verification,
memberships, invitations, requests to join, freshness, volunteer tasks and search bookkeeping.

Every function is keyword-only, runs in one transaction, records who acted (config.audit) and
sends its mail only after the transaction commits.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from config.audit import acting_as
from directory import search
from directory.models import (
    OUTDATED_AFTER,
    REMINDER_AFTER,
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
    OrganisationPageView,
    SearchSynonym,
    User,
    VolunteerOpportunity,
    ZeroResultSearch,
)

# Path words under /organisations/ that an association's slug must not take.
RESERVED_SLUGS = {"register", "mine", "confirm", "new", "edit", "opendata", "search"}
FRESHNESS_LINK_DAYS = 30
INVITATION_DAYS = 14
POPULARITY_DAYS = 90


class LastAdminError(ValidationError):
    def __init__(self):
        super().__init__(
            _("The association must keep at least one administrator. Make someone else an "
              "administrator first."),
            code="last_admin",
        )  # fmt: skip


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _mail(template: str, context: dict, recipients: Iterable[str]) -> None:
    """Send `templates/directory/email/<template>_{subject,body}.txt` after the commit."""
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return
    context = {"site_name": settings.SITE_NAME, **context}
    subject = " ".join(render_to_string(f"directory/email/{template}_subject.txt", context).split())
    body = render_to_string(f"directory/email/{template}_body.txt", context)

    def send():
        send_mail(
            settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            recipients,
        )

    transaction.on_commit(send)


def _admin_emails(organisation: Organisation) -> list[str]:
    return list(
        Membership.objects.admins()
        .filter(organisation=organisation, user__is_active=True)
        .values_list("user__email", flat=True)
    )


def _staff_emails() -> list[str]:
    return list(User.objects.filter(is_staff=True, is_active=True).values_list("email", flat=True))


# --- associations ----------------------------------------------------------------------------


def unique_slug(name: str, *, exclude_pk=None) -> str:
    base = (slugify(name) or "yhdistys")[:200].strip("-") or "yhdistys"
    if base in RESERVED_SLUGS:
        base = f"{base}-ry"
    taken = set(
        Organisation.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def organisation_index(*, organisation: Organisation) -> None:
    """Recompute the association's search columns from its texts and terms."""
    areas = list(organisation.areas.select_related("parent"))
    document = search.organisation_document(
        organisation,
        fields=list(organisation.fields.all()),
        target_groups=list(organisation.target_groups.all()),
        areas=areas,
    )
    Organisation.objects.filter(pk=organisation.pk).update(**document)
    search.lexicon_add(search.lexicon_entries(search.fuzzy_text(organisation, areas=areas)))
    for key, value in document.items():
        setattr(organisation, key, value)


def organisation_reindex_all(*, queryset=None) -> int:
    count = 0
    queryset = queryset if queryset is not None else Organisation.objects.all()
    for organisation in queryset.prefetch_related("fields", "target_groups", "areas__parent"):
        organisation_index(organisation=organisation)
        count += 1
    return count


def organisation_register(
    *,
    organisation: Organisation,
    user: User,
    fields: Iterable = (),
    target_groups: Iterable = (),
    areas: Iterable = (),
) -> Organisation:
    """Save a new association as pending, with the registrant as its administrator."""
    with transaction.atomic(), acting_as(user, reason="register"):
        organisation.slug = unique_slug(organisation.name)
        organisation.status = Organisation.Status.PENDING
        organisation.verified_at = None
        organisation.created_by = user
        organisation.last_confirmed_at = timezone.now()
        organisation.save()
        organisation.fields.set(fields)
        organisation.target_groups.set(target_groups)
        organisation.areas.set(areas)
        Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.ADMIN)
        organisation_index(organisation=organisation)
        _mail(
            "registration_staff",
            {"organisation": organisation, "admin_url": absolute_url(reverse(
                "admin:directory_pendingorganisation_changelist"))},
            _staff_emails(),
        )  # fmt: skip
    return organisation


def organisation_update(
    *,
    organisation: Organisation,
    by: User,
    fields: Iterable,
    target_groups: Iterable,
    areas: Iterable,
) -> Organisation:
    """Save edited details. Saving them also confirms that they are current."""
    with transaction.atomic(), acting_as(by, reason="edit"):
        organisation.last_confirmed_at = timezone.now()
        organisation.save()
        organisation.fields.set(fields)
        organisation.target_groups.set(target_groups)
        organisation.areas.set(areas)
        Organisation.objects.filter(pk=organisation.pk).update(is_outdated=False)
        organisation_index(organisation=organisation)
    return organisation


def organisation_verify(*, organisation: Organisation, by: User) -> bool:
    """Make a pending registration public. Returns False when it was not pending."""
    with transaction.atomic(), acting_as(by, reason="verify"):
        now = timezone.now()
        updated = Organisation.objects.filter(
            pk=organisation.pk, status=Organisation.Status.PENDING
        ).update(
            status=Organisation.Status.VERIFIED,
            verified_at=now,
            verified_by=by,
            last_confirmed_at=now,
            is_outdated=False,
            updated_at=now,
        )
        if not updated:
            return False
        organisation.refresh_from_db()
        _mail(
            "verified",
            {"organisation": organisation,
             "url": absolute_url(organisation.get_absolute_url())},
            _admin_emails(organisation),
        )  # fmt: skip
    return True


def organisation_archive(*, organisation: Organisation, by: User | None) -> bool:
    """What deleting an association does: it leaves every public list and page, and its
    bookings, grants, events, members and history stay. Returns False if it already was."""
    with transaction.atomic(), acting_as(by, reason="archive"):
        archived = (
            Organisation.objects.filter(pk=organisation.pk)
            .exclude(status=Organisation.Status.ARCHIVED)
            .update(status=Organisation.Status.ARCHIVED, updated_at=timezone.now())
        )
        organisation.status = Organisation.Status.ARCHIVED
    return bool(archived)


def organisation_confirm(*, organisation: Organisation, by: User | None = None) -> None:
    """The details are current: only `last_confirmed_at` changes (and the outdated mark)."""
    with transaction.atomic(), acting_as(by, reason="confirm details"):
        now = timezone.now()
        Organisation.objects.filter(pk=organisation.pk).update(
            last_confirmed_at=now, is_outdated=False
        )
        organisation.last_confirmed_at = now
        organisation.is_outdated = False


# --- freshness -----------------------------------------------------------------------------

_FRESHNESS_SALT = "directory.freshness"


def freshness_token(organisation: Organisation) -> str:
    return signing.dumps({"o": organisation.pk}, salt=_FRESHNESS_SALT, compress=True)


def organisation_from_freshness_token(token: str) -> Organisation | None:
    """The association of a valid, unexpired link; None for a forged or expired one."""
    try:
        data = signing.loads(
            token, salt=_FRESHNESS_SALT, max_age=datetime.timedelta(days=FRESHNESS_LINK_DAYS)
        )
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("o"), int):
        return None
    return (
        Organisation.objects.exclude(status=Organisation.Status.ARCHIVED)
        .filter(pk=data["o"])
        .first()
    )


def freshness_mark_outdated(*, now=None) -> tuple[int, int]:
    """Mark associations unconfirmed for two years (ranked lower); unmark confirmed ones."""
    cutoff = (now or timezone.now()) - OUTDATED_AFTER
    with transaction.atomic(), acting_as(None, reason="freshness"):
        marked = Organisation.objects.filter(
            last_confirmed_at__lt=cutoff, is_outdated=False
        ).update(is_outdated=True)
        cleared = Organisation.objects.filter(
            last_confirmed_at__gte=cutoff, is_outdated=True
        ).update(is_outdated=False)
    return marked, cleared


def freshness_send_reminders(*, now=None) -> int:
    """Email the admins of associations unconfirmed for a year a signed confirm link.

    A reminder goes out at most once a month per association, so the daily run does not nag.
    """
    now = now or timezone.now()
    due = (
        Organisation.objects.public()
        .unconfirmed_since(now - REMINDER_AFTER)
        .filter(
            Q(freshness_reminder_sent_at__isnull=True)
            | Q(freshness_reminder_sent_at__lt=now - datetime.timedelta(days=30))
        )
        .order_by("pk")
    )
    sent = 0
    for organisation in due.iterator(chunk_size=200):
        with transaction.atomic(), acting_as(None, reason="freshness reminder"):
            recipients = _admin_emails(organisation)
            Organisation.objects.filter(pk=organisation.pk).update(freshness_reminder_sent_at=now)
            if not recipients:
                continue
            url = absolute_url(
                reverse("directory:freshness-confirm", args=[freshness_token(organisation)])
            )
            _mail(
                "freshness_reminder",
                {"organisation": organisation, "url": url, "days": FRESHNESS_LINK_DAYS,
                 "edit_url": absolute_url(reverse("directory:organisation-edit",
                                                  args=[organisation.slug]))},
                recipients,
            )  # fmt: skip
            sent += 1
    return sent


# --- memberships ---------------------------------------------------------------------------


def _lock(organisation: Organisation) -> None:
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()


def _ensure_an_admin_remains(organisation: Organisation, *, without: Membership) -> None:
    others = Membership.objects.admins().filter(organisation=organisation).exclude(pk=without.pk)
    if without.role == Membership.Role.ADMIN and not others.exists():
        raise LastAdminError()


def membership_change_role(*, membership: Membership, role: str, by: User) -> Membership:
    if role not in Membership.Role.values:
        raise ValidationError(_("Choose a role."), code="role")
    with transaction.atomic(), acting_as(by, reason="change role"):
        _lock(membership.organisation)
        membership.refresh_from_db()
        if role != Membership.Role.ADMIN:
            _ensure_an_admin_remains(membership.organisation, without=membership)
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def membership_remove(*, membership: Membership, by: User) -> None:
    with transaction.atomic(), acting_as(by, reason="remove member"):
        _lock(membership.organisation)
        membership.refresh_from_db()
        _ensure_an_admin_remains(membership.organisation, without=membership)
        membership.delete()


def membership_hand_over(*, organisation: Organisation, to: Membership, by: User) -> None:
    """Make `to` an administrator and the acting admin an editor, in one step."""
    with transaction.atomic(), acting_as(by, reason="hand over"):
        _lock(organisation)
        to.refresh_from_db()
        if to.organisation_id != organisation.pk or to.user_id == by.pk:
            raise ValidationError(_("Choose another member of the association."), code="to")
        to.role = Membership.Role.ADMIN
        to.save(update_fields=["role"])
        Membership.objects.filter(organisation=organisation, user=by).update(
            role=Membership.Role.EDITOR
        )


# --- invitations ---------------------------------------------------------------------------

_INVITATION_SALT = "directory.invitation"


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=_INVITATION_SALT)


def invitation_from_token(token: str) -> Invitation | None:
    try:
        pk = signing.loads(
            token, salt=_INVITATION_SALT, max_age=datetime.timedelta(days=INVITATION_DAYS)
        )
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return Invitation.objects.select_related("organisation").filter(pk=pk).first()


def membership_invite(*, organisation: Organisation, email: str, role: str, by: User) -> Invitation:
    """Invite by email. Inviting the same address again sends a fresh link."""
    email = email.strip()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError(_("This person is already a member."), code="member")
    with transaction.atomic(), acting_as(by, reason="invite"):
        invitation = (
            Invitation.objects.open().filter(organisation=organisation, email__iexact=email).first()
        )
        if invitation is None:
            invitation = Invitation.objects.create(
                organisation=organisation, email=email, role=role, invited_by=by
            )
        elif invitation.role != role:
            invitation.role = role
            invitation.save(update_fields=["role"])
        url = absolute_url(
            reverse("directory:invitation-accept", args=[invitation_token(invitation)])
        )
        _mail(
            "invitation",
            {"organisation": organisation, "url": url, "inviter": by,
             "role": invitation.get_role_display(), "days": INVITATION_DAYS},
            [email],
        )  # fmt: skip
    return invitation


def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."), code="used")
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(
            _("This invitation was sent to another email address. Sign in with that address."),
            code="email",
        )
    with transaction.atomic(), acting_as(user, reason="accept invitation"):
        _lock(invitation.organisation)
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
        )
        if not created and invitation.role == Membership.Role.ADMIN:
            membership.role = Membership.Role.ADMIN
            membership.save(update_fields=["role"])
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        JoinRequest.objects.open().filter(user=user, organisation=invitation.organisation).update(
            status=JoinRequest.Status.APPROVED, decided_at=timezone.now()
        )
    return membership


def invitation_cancel(*, invitation: Invitation, by: User) -> None:
    with transaction.atomic(), acting_as(by, reason="cancel invitation"):
        invitation.delete()


# --- requests to join ----------------------------------------------------------------------


def join_request_create(
    *, organisation: Organisation, user: User, message: str = ""
) -> JoinRequest:
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError(_("You are already a member of this association."), code="member")
    with transaction.atomic(), acting_as(user, reason="ask to join"):
        existing = JoinRequest.objects.open().filter(organisation=organisation, user=user).first()
        if existing:
            return existing
        join_request = JoinRequest.objects.create(
            organisation=organisation, user=user, message=message.strip()
        )
        recipients = _admin_emails(organisation) or _staff_emails()
        _mail(
            "join_request",
            {"organisation": organisation, "join_request": join_request,
             "url": absolute_url(reverse("directory:member-list", args=[organisation.slug]))},
            recipients,
        )  # fmt: skip
    return join_request


def join_request_decide(*, join_request: JoinRequest, approve: bool, by: User) -> None:
    with transaction.atomic(), acting_as(by, reason="decide request to join"):
        locked = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
        if locked.status != JoinRequest.Status.PENDING:
            return
        locked.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.REJECTED
        locked.decided_at = timezone.now()
        locked.decided_by = by
        locked.save(update_fields=["status", "decided_at", "decided_by"])
        if approve:
            Membership.objects.get_or_create(
                user=locked.user,
                organisation=locked.organisation,
                defaults={"role": Membership.Role.EDITOR},
            )
        _mail(
            "join_request_approved" if approve else "join_request_rejected",
            {"organisation": locked.organisation,
             "url": absolute_url(locked.organisation.get_absolute_url())},
            [locked.user.email],
        )  # fmt: skip
    join_request.status = locked.status


# --- volunteer tasks -----------------------------------------------------------------------


RESUBMISSION_WINDOW = datetime.timedelta(minutes=10)


def volunteer_opportunity_save(
    *, opportunity: VolunteerOpportunity, by: User
) -> VolunteerOpportunity:
    with transaction.atomic(), acting_as(by, reason="volunteer task"):
        if opportunity.pk is None:
            # The same task sent twice (double click, second tab, retry) is made once: the
            # association's row is locked, so the second request sees the first one's task.
            _lock(opportunity.organisation)
            same = VolunteerOpportunity.objects.filter(
                organisation=opportunity.organisation,
                title=opportunity.title,
                created_by=by,
                created_at__gte=timezone.now() - RESUBMISSION_WINDOW,
            ).first()
            if same is not None:
                return same
            opportunity.created_by = by
        opportunity.save()
    return opportunity


def volunteer_opportunity_delete(*, opportunity: VolunteerOpportunity, by: User) -> None:
    with transaction.atomic(), acting_as(by, reason="volunteer task"):
        opportunity.delete()


# --- popularity and the search log ---------------------------------------------------------


def page_view_record(*, organisation: Organisation, on: datetime.date | None = None) -> None:
    """Count one view of the public page: today's row and the 90-day popularity, in one
    statement (atomic on its own, and one round trip on the busiest page)."""
    on = on or timezone.localdate()
    views = OrganisationPageView._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH counted AS (
                    INSERT INTO {views} (organisation_id, viewed_on, views) VALUES (%s, %s, 1)
                    ON CONFLICT (organisation_id, viewed_on)
                    DO UPDATE SET views = {views}.views + 1
                    RETURNING organisation_id)
                UPDATE {Organisation._meta.db_table} SET popularity = popularity + 1
                 WHERE id = (SELECT organisation_id FROM counted)""",  # noqa: S608  # nosec B608: table names from model meta, values as parameters
            [organisation.pk, on],
        )


def popularity_refresh(*, today: datetime.date | None = None) -> int:
    """Recount popularity from the last 90 days' views and forget older views (run daily)."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=POPULARITY_DAYS - 1)
    organisations = Organisation._meta.db_table
    views = OrganisationPageView._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {views} WHERE viewed_on < %s", [since])  # noqa: S608  # nosec B608: table names from model meta, values as parameters
        cursor.execute(
            f"""UPDATE {organisations} o SET popularity = fresh.total
                  FROM (SELECT o2.id, COALESCE(SUM(v.views), 0) AS total
                          FROM {organisations} o2 LEFT JOIN {views} v ON v.organisation_id = o2.id
                         GROUP BY o2.id) fresh
                 WHERE fresh.id = o.id AND o.popularity <> fresh.total""",  # noqa: S608  # nosec B608: table names from model meta, values as parameters
        )
        return cursor.rowcount


def search_record_zero_result(*, text: str) -> None:
    text = " ".join(search.words(text))[:200]
    if not text:
        return
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {ZeroResultSearch._meta.db_table}
                    (query, count, first_searched_at, last_searched_at) VALUES (%s, 1, %s, %s)
                ON CONFLICT (query) DO UPDATE SET
                    count = {ZeroResultSearch._meta.db_table}.count + 1,
                    last_searched_at = EXCLUDED.last_searched_at""",  # noqa: S608  # nosec B608: table names from model meta, values as parameters
            [text, now, now],
        )


def synonym_save(*, synonym: SearchSynonym) -> SearchSynonym:
    words = []
    for word in synonym.words.split(","):
        cleaned = " ".join(search.words(word))
        if cleaned and cleaned not in words:
            words.append(cleaned)
    if len(words) < 2:
        raise ValidationError(_("Give at least two words separated by commas."), code="words")
    synonym.words = ", ".join(words)
    keys = set()
    for phrase in words:
        for word in phrase.split():
            keys |= search.word_keys(word)
    synonym.keys = sorted(keys)
    synonym.save()
    return synonym
