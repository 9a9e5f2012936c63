"""Bad configuration stops the process at start, with a message that names the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "x" * 64,
    "DJANGO_ALLOWED_HOSTS": "jarjestot.kuopio.example",
    "DATABASE_URL": "postgres://portal:secret@db.kuopio.example:5432/portal",
    "EMAIL_HOST": "smtp.kuopio.example",
}


def load_settings(**overrides):
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION}
    env.update({k: v for k, v in overrides.items() if v is not None})
    code = (
        "import django, json; from django.conf import settings; django.setup(); "
        "print(json.dumps({k: getattr(settings, k) for k in "
        "['SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'SECURE_SSL_REDIRECT', 'DEBUG']}))"
    )
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )


def test_production_settings_turn_on_hsts_and_secure_cookies():
    result = load_settings(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert '"SECURE_HSTS_SECONDS": 31536000' in result.stdout
    assert '"SESSION_COOKIE_SECURE": true' in result.stdout
    assert '"CSRF_COOKIE_SECURE": true' in result.stdout
    assert '"DEBUG": false' in result.stdout


@pytest.mark.parametrize(
    "variable", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "EMAIL_HOST"]
)
def test_production_refuses_to_start_without_a_required_variable(variable):
    result = load_settings(**{**PRODUCTION, variable: None})
    assert result.returncode != 0
    assert variable in result.stderr


@pytest.mark.parametrize(
    "url",
    [
        "not a url",
        "mysql://portal@db/portal",
        "postgres://portal@db.kuopio.example:notaport/portal",
        "postgres://portal@db.kuopio.example:5432/",
    ],
)
def test_a_malformed_database_url_stops_the_start_naming_the_variable(url):
    result = load_settings(**{**PRODUCTION, "DATABASE_URL": url})
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_a_mistyped_boolean_is_refused_instead_of_guessed():
    result = load_settings(**{**PRODUCTION, "EMAIL_USE_TLS": "kyllä"})
    assert result.returncode != 0
    assert "EMAIL_USE_TLS" in result.stderr
