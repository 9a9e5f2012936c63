"""Whole public pages for visitors without an account, kept in each server process's memory.

The event list is what most residents open, and rendering it costs ~20 ms of Python. A visitor
with no session gets exactly the bytes the previous visitor got, so each process keeps the
rendered page and serves it again until the public data changes.

*When the data changes* is decided by PostgreSQL, not by Django signals (which miss
`QuerySet.update()`, the admin's bulk actions, imports and SQL): every table whose rows the
cached pages show carries a deferred trigger that advances the sequence `portal_public_version`
as its transaction commits. A request reads the sequence (~0.1 ms) and
looks for a page rendered under that version. A change is therefore visible to the next visitor
in every process. Between a change's last statement and its commit there is a window of
microseconds in which a page could be rendered from the old rows under the new version; pages
are also forgotten after `PAGE_CACHE_SECONDS`, which bounds that case.

Only anonymous GETs without a session or pending messages are served from memory, and only
responses that set no cookie, are not private, and hold no CSP nonce or CSRF token are kept.
"""

import functools
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.http import HttpResponse

SEQUENCE = "portal_public_version"
_CSRF_FIELD = b'name="csrfmiddlewaretoken"'
MAX_BYTES = 32 * 1024 * 1024  # per process
# The apps and models whose rows the cached pages show (the event list and calendar views:
# events with their organisers, themes, venues and districts).
SOURCES = {
    "events": None,  # every table of the app
    "directory": ("Organisation", "Area", "FieldOfActivity", "TargetGroup"),
}


@dataclass(frozen=True)
class _Page:
    stored_at: float
    content: bytes
    headers: tuple[tuple[str, str], ...]


class _Store:
    """A byte-bounded LRU of rendered pages, shared by the threads of one process."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self.pages: OrderedDict[tuple, _Page] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key) -> _Page | None:
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key, page: _Page) -> None:
        if len(page.content) > self.max_bytes // 8:
            return
        with self.lock:
            old = self.pages.pop(key, None)
            if old is not None:
                self.size -= len(old.content)
            self.pages[key] = page
            self.size += len(page.content)
            while self.size > self.max_bytes:
                _key, evicted = self.pages.popitem(last=False)
                self.size -= len(evicted.content)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()
            self.size = 0


_store = _Store(MAX_BYTES)


def forget_pages() -> None:
    """Empty this process's pages (tests; the benchmark's "rendered" rows)."""
    _store.clear()


def current_version() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM portal_public_version")
        return cursor.fetchone()[0]


def _serves_from_memory(request) -> bool:
    if request.method != "GET":
        return False
    cookies = request.COOKIES
    # A session may be a signed-in user or carry messages; either makes the page personal.
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _keepable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
        and not getattr(request, "_csp_nonce", None)  # a nonce is per response
        and _CSRF_FIELD not in response.content  # a token is per visitor
    )


def for_visitors(view):
    """Serve `view` to visitors without an account from this process's memory when the public
    data has not changed since it was rendered (see the module docstring)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _serves_from_memory(request):
            return view(request, *args, **kwargs)
        version = request.public_version = current_version()  # views may reuse it
        key = (version, request.LANGUAGE_CODE, request.get_full_path())
        page = _store.get(key)
        if page is not None and time.monotonic() - page.stored_at < settings.PAGE_CACHE_SECONDS:
            response = HttpResponse(page.content)
            for name, value in page.headers:
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if _keepable(request, response):
            headers = tuple((k, v) for k, v in response.headers.items() if k != "Content-Length")
            _store.put(key, _Page(time.monotonic(), response.content, headers))
        return response

    return wrapper


# --- the version, kept by PostgreSQL -----------------------------------------------------------


def source_tables() -> list[str]:
    import pghistory.models

    tables = []
    for label, names in SOURCES.items():
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if issubclass(model, pghistory.models.Event) or model._meta.proxy:
                continue
            if names is None or model.__name__ in names:
                tables.append(model._meta.db_table)
    return sorted(set(tables))


_FUNCTION = f"""
CREATE SEQUENCE IF NOT EXISTS {SEQUENCE};
CREATE OR REPLACE FUNCTION portal_public_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('{SEQUENCE}');
    RETURN NULL;
END $$;
"""

_TRIGGERS = """
CREATE CONSTRAINT TRIGGER portal_public_changed
    AFTER INSERT OR UPDATE OR DELETE ON {table}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION portal_public_changed();
CREATE TRIGGER portal_public_truncated
    AFTER TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION portal_public_changed();
"""


def install_triggers(using: str = "default", **kwargs) -> None:
    """Create the sequence and the triggers where missing; runs after every `migrate`.

    A `post_migrate` handler rather than a migration, so that a table added to a source app
    later is covered without anyone remembering to write one.
    """
    from django.db import connections

    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(_FUNCTION)
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE t.tgname = 'portal_public_changed'"
        )
        done = {row[0] for row in cursor.fetchall()}
        existing = set(connection.introspection.table_names(cursor))
        for table in source_tables():
            if table in existing and table not in done:
                cursor.execute(_TRIGGERS.format(table=connection.ops.quote_name(table)))
