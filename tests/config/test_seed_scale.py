"""The benchmark's generated data works like real data: what the pages search is filled too."""

import io

import pytest
from django.core.management import call_command

from directory.models import Organisation


@pytest.mark.django_db(transaction=True)
def test_generated_associations_are_found_by_name_and_through_a_typo(client):
    call_command(
        "seed_scale",
        organisations=300,
        events=50,
        bookings=50,
        applications=10,
        stdout=io.StringIO(),
    )
    organisation = Organisation.objects.public().order_by("-popularity").first()
    word = max(organisation.name.split(), key=len).lower()
    assert organisation.name in client.get("/organisations/", {"q": word}).text
    # One letter dropped from the middle: only the lexicon's trigram match can find it.
    typo = word[: len(word) // 2] + word[len(word) // 2 + 1 :]
    page = client.get("/organisations/", {"q": typo}).text
    assert "Yhtään yhdistystä ei löytynyt" not in page
    assert "Tässä lähimmät kirjoitusasut" in page
