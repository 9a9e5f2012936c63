"""Private calendar addresses: at least 128 secret random bits, compared in constant time, and
dead once revoked. (The apps' own feed tests check the feeds' content.)"""

import base64
import hmac

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def secret_bits(text: str) -> int:
    """How many bits the URL-safe base64 text carries."""
    return len(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))) * 8


@pytest.fixture
def compare_spy(monkeypatch):
    """Records every hmac.compare_digest call and still compares."""
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    return calls


def test_the_booking_feed_token_is_random_compared_in_constant_time_and_dies_when_revoked(
    member, org_a, compare_spy
):
    from spaces import services
    from spaces.models import FeedToken

    tokens = [services.feed_token_create(user=member, organisation=org_a) for _ in range(20)]
    assert len(set(tokens)) == 20
    lookup = services.LOOKUP_LENGTH
    # What is stored in clear (the lookup prefix) proves nothing; the rest is the secret.
    assert all(secret_bits(token) - lookup * 6 >= 128 for token in tokens)
    token = tokens[-1]
    assert not FeedToken.objects.filter(digest=token).exists(), "only a hash is stored"

    client = Client()
    url = f"/spaces/calendar/{token}.ics"
    assert client.get(url).status_code == 200
    assert compare_spy, "the token was not compared with hmac.compare_digest"
    compare_spy.clear()
    forged = token[:lookup] + ("A" if token[lookup] != "A" else "B") + token[lookup + 1 :]
    assert client.get(f"/spaces/calendar/{forged}.ics").status_code == 404
    assert compare_spy, "a forged token with a known prefix must still be compared in full"

    for old in tokens[:-1]:  # each new address turned the previous one off
        assert client.get(f"/spaces/calendar/{old}.ics").status_code in (404, 410)
    services.feed_token_revoke(user=member, organisation=org_a)
    assert client.get(url).status_code in (404, 410)


def test_the_personal_event_feed_is_random_compared_in_constant_time_and_dies_when_renewed(
    resident, compare_spy
):
    from events import services

    feeds = []
    for _ in range(5):
        feed = services.personal_feed_renew(user=resident)
        feeds.append((feed.get_absolute_url(), feed.secret))
    assert len({secret for _url, secret in feeds}) == 5
    assert all(secret_bits(secret) >= 128 for _url, secret in feeds)

    client = Client()
    url, secret = feeds[-1]
    assert client.get(url).status_code == 200
    assert any(secret.encode() in call for call in compare_spy), "not compared in constant time"
    wrong = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    assert client.get(url.replace(secret, wrong)).status_code == 404
    for old_url, _secret in feeds[:-1]:
        assert client.get(old_url).status_code == 404

    resident.is_active = False
    resident.save(update_fields=["is_active"])
    assert client.get(url).status_code == 404, "a closed account's feed stops"
