"""Choice widgets that write their HTML in Python instead of through Django's widget templates.

Django renders every <option> and checkbox through two or three template includes, about a
millisecond per 20 choices. The filter forms of the event calendar (and the space list) show
some 80 choices on every request, so the template version alone took longer than the page's
SQL. These widgets give the same markup (the same ids, labels, `checked`/`selected` and
attributes, so CSS, label links and tests see no difference) with `format_html`.
Grouped choices (optgroups) fall back to Django's templates.
"""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

_SELECTED = SafeString(" selected")  # constant attributes, no input
_CHECKED = SafeString(" checked")


def _attrs(attrs: dict) -> str:
    """Attributes in their given order, as Django's attrs.html writes them (flatatt sorts)."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", key) if value is True else format_html(' {}="{}"', key, value),)
            for key, value in attrs.items()
            if value is not False and value is not None
        ),
    )


def _grouped(choices) -> bool:
    return any(isinstance(label, (list, tuple)) for _value, label in choices)


def _chosen(widget, value) -> set[str]:
    return {str(v) for v in widget.format_value(value) if v is not None}


class QuickSelect(forms.Select):
    """A <select> whose options are written in Python."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(self.choices)
        if _grouped(choices):
            return super().render(name, value, attrs, renderer)
        chosen = _chosen(self, value)
        marked = False
        rows = []
        for option_value, label in choices:
            option_value = "" if option_value is None else str(option_value)
            # Like Django: a single select marks only the first matching option.
            selected = option_value in chosen and (self.allow_multiple_selected or not marked)
            marked = marked or selected
            rows.append((option_value, _SELECTED if selected else "", label))
        options = format_html_join("", '\n  <option value="{}"{}>{}</option>\n', rows)
        final = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}\n</select>', name, _attrs(final), options)


class QuickCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """A list of checkboxes (in a fieldset, as Django's) written in Python."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(self.choices)
        if _grouped(choices):
            return super().render(name, value, attrs, renderer)
        chosen = _chosen(self, value)
        final = self.build_attrs(self.attrs, attrs)
        base_id = final.get("id")
        rows = []
        for index, (option_value, label) in enumerate(choices):
            option_value = "" if option_value is None else str(option_value)
            option_attrs = dict(final)
            if base_id:
                option_attrs["id"] = f"{base_id}_{index}"
            rows.append(
                (
                    format_html(' for="{}"', option_attrs["id"]) if base_id else "",
                    name,
                    option_value,
                    _attrs(option_attrs),
                    _CHECKED if option_value in chosen else "",
                    label,
                )
            )
        items = format_html_join(
            "",
            '<div>\n    <label{}><input type="checkbox" name="{}" value="{}"{}{}>'
            "\n {}</label>\n\n</div>",
            rows,
        )
        wrapper = format_html(' id="{}"', base_id) if base_id else ""
        css = format_html(' class="{}"', final["class"]) if final.get("class") else ""
        return format_html("<div{}{}>{}\n</div>", wrapper, css, items)


def query_key(data) -> tuple:
    """A hashable, order-independent form of a QueryDict (every value, valid or not)."""
    if data is None:
        return ()
    return tuple(sorted((k, tuple(v)) for k, v in data.lists()))
