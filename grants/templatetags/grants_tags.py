from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from grants.money import euros as format_euros

register = template.Library()


@register.filter
def euros(amount):
    return format_euros(amount)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def whole_euros(amount):
    return format_euros(amount, 0)


def countdown_text(deadline, now=None) -> str:
    """Time left until the deadline in words, computed on the server (no JavaScript needed).

    Real elapsed time: across the autumn clock change a calendar day has 25 hours, across
    the spring one 23 hours, and the text says so.
    """
    now = now or timezone.now()
    seconds = int((deadline - now).total_seconds())
    if seconds <= 0:
        return _("The application period has ended.")
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = max(rest // 60, 0)
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
        if hours:
            parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    elif hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
        if minutes:
            parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    else:
        minutes = max(minutes, 1)
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    return _("%(time)s left") % {"time": " ".join(parts)}


@register.simple_tag
def countdown(deadline):
    return countdown_text(deadline)
