import pytest

from grants.models import ApplicantGroup

pytestmark = pytest.mark.django_db


def test_the_eight_applicant_groups_of_kuopio_exist():
    assert ApplicantGroup.objects.count() == 8
