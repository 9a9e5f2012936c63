from datetime import timedelta

import pytest
from django.utils import timezone

from events import services
from events.models import Event

pytestmark = pytest.mark.django_db


def test_staff_see_other_associations_drafts_only_with_two_step_verification(
    client, org_a, staff, staff_without_mfa
):
    start = timezone.now() + timedelta(days=5)
    draft = services.event_create(
        by=None, organisers=[org_a], title="Keskeneräinen ilta", starts_at=start,
        ends_at=start + timedelta(hours=2), status=Event.Status.DRAFT, place_name="Asukastupa",
    )  # fmt: skip
    url = f"/events/{draft.pk}/"
    client.force_login(staff_without_mfa)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    assert client.get(url).status_code == 200
