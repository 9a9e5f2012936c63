"""pg_dump / pg_restore against the configured database, with the same PostgreSQL version.

The embedded server's own client programs are used (they can also dump older servers reached
through DATABASE_URL); the password, if any, goes through the environment, never the command line.
"""

import os
import shutil
import subprocess

from django.conf import settings


def client_program(name: str) -> str:
    try:
        from config.devdb import pg_bin

        path = pg_bin(name)
        if os.path.exists(path):
            return path
    except ImportError:
        pass
    found = shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} was not found; install the PostgreSQL client programs.")
    return found


def connection_args(database: dict, name: str | None = None) -> tuple[list[str], dict]:
    args = ["--dbname", name or database["NAME"], "--no-password"]
    if database.get("USER"):
        args += ["--username", database["USER"]]
    if database.get("HOST"):
        args += ["--host", database["HOST"]]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    return args, env


def dump(path: str, *, database_name: str | None = None) -> None:
    args, env = connection_args(settings.DATABASES["default"], database_name)
    command = [client_program("pg_dump"), "--format=custom", "--no-owner", "--file", path, *args]
    subprocess.run(command, env=env, check=True)


def restore(path: str, *, database_name: str | None = None) -> None:
    args, env = connection_args(settings.DATABASES["default"], database_name)
    command = [
        client_program("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--exit-on-error",
        *args,
        path,
    ]
    subprocess.run(command, env=env, check=True)
