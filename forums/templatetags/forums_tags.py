from django import template

from forums import formatting

register = template.Library()


@register.filter
def moment(value):
    """A date and time: "ti 25.8.2026 klo 16.00"."""
    return formatting.moment(value)


@register.filter
def clock(value):
    """A time of day: "17.30"."""
    return formatting.clock(value) if value else ""


@register.simple_tag
def timespan(start, end):
    """A meeting's time: "ti 30.8.2026 klo 17.30–20.00"."""
    return formatting.span(start, end)
