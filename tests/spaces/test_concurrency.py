"""Many people press "Book" for the same time at once: exactly one booking, and no errors.

Real threads over real connections (transactional_db), each request through the view.
"""

import threading

import pytest
from django.db import connection
from django.test import Client

from spaces.models import Booking
from tests.spaces.conftest import local, next_weekday

THREADS = 24
ROUNDS = 3


def fire(clients, url, data):
    barrier = threading.Barrier(len(clients))
    statuses, errors = [], []

    def run(client):
        try:
            barrier.wait()
            statuses.append(client.post(url, data).status_code)
        except Exception as exc:  # any exception is a failure of the test, reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses, errors


def logged_in_clients(users):
    clients = []
    for n in range(THREADS):
        client = Client()
        client.force_login(users[n % len(users)])
        clients.append(client)
    return clients


def form_data(organisation, day, start, end):
    return {
        "organisation": organisation.pk,
        "date": day.isoformat(),
        "starts_at": f"{start}:00",
        "ends_at": f"{end}:00",
        "purpose": "Kokous",
        "expected_attendees": 5,
    }


@pytest.mark.django_db(transaction=True)
def test_twenty_four_simultaneous_requests_for_one_time_give_exactly_one_booking(
    room, member, org_a
):
    clients = logged_in_clients([member])
    for round_number in range(ROUNDS):
        day = next_weekday(round_number, weeks_ahead=2)
        statuses, errors = fire(
            clients, f"/spaces/{room.slug}/book/", form_data(org_a, day, 10, 12)
        )
        assert errors == []
        assert sorted(set(statuses)) == [200, 302], statuses
        assert statuses.count(302) == 1
        start = local(day, 10)
        assert Booking.objects.filter(during__startswith=start).count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_for_the_whole_hall_and_its_halves_give_one_booking(
    hall, member, org_a
):
    clients = logged_in_clients([member])
    spaces = [hall["whole"], hall["a"], hall["b"]]
    for round_number in range(ROUNDS):
        day = next_weekday(round_number + 3, weeks_ahead=2)
        barrier = threading.Barrier(THREADS)
        statuses, errors = [], []

        def run(n, barrier=barrier, statuses=statuses, errors=errors, day=day):
            space = spaces[0] if n % 2 == 0 else spaces[1 + n % 4 // 2]
            try:
                barrier.wait()
                response = clients[n].post(
                    f"/spaces/{space.slug}/book/", form_data(org_a, day, 17, 19)
                )
                statuses.append((space.slug, response.status_code))
            except Exception as exc:  # reported below
                errors.append(repr(exc))
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
        assert all(status in (200, 302) for _slug, status in statuses)
        made = Booking.objects.filter(during__startswith=local(day, 17))
        slugs = sorted(made.values_list("space__slug", flat=True))
        # Either the whole hall, or one or both halves; never the whole with a half.
        assert slugs in (
            ["liikuntasali"],
            ["liikuntasali-a"],
            ["liikuntasali-b"],
            ["liikuntasali-a", "liikuntasali-b"],
        ), slugs
