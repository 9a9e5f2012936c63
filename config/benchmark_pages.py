"""The pages `make bench` measures, with the budgets of the benchmark issue (2 cores).

Sample objects (a popular association, a generated space, a decided grant year) are looked up
in the benchmark database when the page list is built.
"""

from datetime import timedelta

from django.utils import timezone

from config.benchmark import Page

LIST_RATIO = 3.0  # a list page may take at most 3x the time of its own SQL


def _popular_organisation_slug() -> str:
    from directory.models import Organisation

    return Organisation.objects.public().order_by("-popularity").values_list("slug", flat=True)[0]


def _space_slug() -> str:
    from spaces.models import Space

    space = Space.objects.filter(slug__startswith="kerhohuone-").order_by("pk").first()
    space = space or Space.objects.order_by("pk").first()
    return space.slug


def _decided_year() -> int:
    from grants.models import Decision

    return (
        Decision.objects.filter(is_public=True)
        .order_by("-round__year")
        .values_list("round__year", flat=True)[0]
    )


def _member_email() -> str:
    """A member of a verified association, for the booking form."""
    from allauth.account.models import EmailAddress

    from directory.models import Membership, Organisation, User

    user, _created = User.objects.get_or_create(
        email="varaaja@bench.kuopio.example", defaults={"full_name": "Ville Varaaja"}
    )
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    organisation = Organisation.objects.public().order_by("pk").first()
    Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": "admin"}
    )
    return user.email


def _forget_feeds() -> None:
    from events.feeds import forget_rendered

    forget_rendered()


def _forget_feed_keep_vevents() -> None:
    from events.feeds import forget_rendered

    forget_rendered(vevents=False)


def _forget_pages() -> None:
    from config.pagecache import forget_pages

    forget_pages()


def pages() -> list[Page]:
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    organisation = _popular_organisation_slug()
    space = _space_slug()
    year = _decided_year()
    feed = "/events/feed.ics"
    return [
        Page("home", "/", budget_ms=30, max_queries=4),
        Page(
            "organisations: common word", "/organisations/?q=seura", 30, 6, floor_ratio=LIST_RATIO
        ),
        Page(
            "organisations: compound part", "/organisations/?q=pallo", 30, 6, floor_ratio=LIST_RATIO
        ),
        Page(
            "organisations: inflected", "/organisations/?q=kuorossa", 30, 6, floor_ratio=LIST_RATIO
        ),
        Page("organisations: typo", "/organisations/?q=jalkapalo", 30, 6, floor_ratio=LIST_RATIO),
        Page(
            "organisations: rare word",
            "/organisations/?q=shakkikerho",
            30,
            6,
            floor_ratio=LIST_RATIO,
        ),
        Page(
            "organisations: filters, no text",
            "/organisations/?field=liikunta-ja-urheilu&area=kuopio",
            30,
            6,
            floor_ratio=LIST_RATIO,
        ),
        Page("organisation detail", f"/organisations/{organisation}/", 50, 15),
        # The calendar pages are kept in memory for visitors (config/pagecache.py); the
        # rendered rows forget them before every request, so rendering is what they measure.
        Page("event list", "/events/", 30, 6, floor_ratio=LIST_RATIO, before_each=_forget_pages),
        Page(
            "event month view",
            "/events/month/",
            30,
            6,
            floor_ratio=LIST_RATIO,
            before_each=_forget_pages,
        ),
        Page("event list, kept for visitors", "/events/", 10, 1),
        Page("event feed, cold (1,000 events)", feed, 300, 4, before_each=_forget_feeds),
        Page(
            "event feed, after one change",
            feed,
            300,
            4,
            before_each=_forget_feed_keep_vevents,
        ),
        Page("event feed, warm", feed, 30, 4),
        Page(
            "event feed, 304",
            feed,
            10,
            4,
            headers={"If-None-Match": "__etag__"},
            expect_status=304,
        ),
        Page(
            "spaces: free at",
            f"/spaces/?free_on={tomorrow}&free_from=18:00&free_until=20:00",
            30,
            5,
            floor_ratio=LIST_RATIO,
        ),
        Page("space week view", f"/spaces/{space}/week/", 30, 5),
        Page("booking form", f"/spaces/{space}/book/", 50, 12, user_email=_member_email()),
        Page("grant decisions of a year", f"/grants/decisions/{year}/", 50, 6),
    ]
