"""Small builders for test data. Real rows in the real database, no mocks."""

import itertools

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone
from django.utils.text import slugify

from directory.models import Membership, Organisation, User
from directory.validators import business_id_check_digit

PASSWORD = "salasana-testi-123"
_sequence = itertools.count(1)


def make_user(email=None, *, name="", is_staff=False, verified=True, password=PASSWORD) -> User:
    email = email or f"user{next(_sequence)}@example.com"
    user = User.objects.create_user(
        email=email, password=password, full_name=name, is_staff=is_staff
    )
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def enable_totp(user) -> str:
    """Give the user an authenticator app; returns the secret to compute codes from."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def current_totp_code(secret: str) -> str:
    """The code an authenticator app shows now for the secret."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def valid_business_id() -> str:
    while True:
        digits = f"{2000000 + next(_sequence) * 7:07d}"
        check = business_id_check_digit(digits)
        if check is not None:
            return f"{digits}-{check}"


def make_organisation(name=None, *, status=Organisation.Status.VERIFIED, **fields) -> Organisation:
    name = name or f"Testiyhdistys {next(_sequence)} ry"
    defaults = {
        "slug": slugify(name),
        "short_description": f"{name} toimii Kuopiossa.",
        "status": status,
        "verified_at": timezone.now() if status != Organisation.Status.PENDING else None,
    }
    defaults.update(fields)
    return Organisation.objects.create(name=name, **defaults)


def add_member(user, organisation, role=Membership.Role.EDITOR) -> Membership:
    return Membership.objects.create(user=user, organisation=organisation, role=role)
