"""The audit trail: every tracked model records inserts, updates and deletes with the actor.

Triggers in PostgreSQL (django-pghistory) write the events, so changes made through the admin,
``QuerySet.update()``, bulk writes and raw SQL are all recorded. The web request's user comes from
``pghistory.middleware.HistoryMiddleware``; management commands and services wrap their writes
in :func:`acting_as`.
"""

import contextlib

import pghistory


def track(**kwargs):
    """Record every insert, update and delete of the decorated model.

    The history is reached as `obj.audit_trail` (pghistory's default name, `events`, would
    collide with the portal's own events).
    """
    kwargs.setdefault("obj_field", pghistory.ObjForeignKey(related_name="audit_trail"))
    return pghistory.track(
        pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **kwargs
    )


@contextlib.contextmanager
def acting_as(user=None, **metadata):
    """Attribute the writes inside the block to `user` (None for the system) in the audit trail."""
    with pghistory.context(user=user.pk if user is not None else None, **metadata):
        yield
