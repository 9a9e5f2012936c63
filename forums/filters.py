import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.models import Area, FieldOfActivity, Organisation, TargetGroup
from forums.models import Forum, Idea


class IdeaFilter(django_filters.FilterSet):
    """The idea bank's filters; the same parameters work in links and bookmarks."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    forum = django_filters.ModelChoiceFilter(
        label=_("Forum"),
        queryset=Forum.objects.all(),
        to_field_name="slug",
        empty_label=_("All forums"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Idea.Status.choices, empty_label=_("All statuses")
    )
    order = django_filters.ChoiceFilter(
        label=_("Order"),
        choices=[
            ("newest", _("newest first")),
            ("oldest", _("oldest first")),
            ("status", _("by status")),
        ],
        empty_label=None,
        method="keep",  # the view orders; see forums.pages.idea_order
    )

    class Meta:
        model = Idea
        fields = ["q", "forum", "status", "order"]

    def keep(self, queryset, name, value):
        return queryset

    def filter_text(self, queryset, name, value):
        value = value.replace("\x00", "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))


class InvitationFilter(django_filters.FilterSet):
    """Choose associations to invite with the directory's taxonomies, e.g. sports in Kuopio."""

    field = django_filters.ModelChoiceFilter(
        label=_("Field of activity"),
        queryset=FieldOfActivity.objects.all(),
        field_name="fields",
        to_field_name="slug",
        empty_label=_("Any field"),
    )
    target_group = django_filters.ModelChoiceFilter(
        label=_("Target group"),
        queryset=TargetGroup.objects.all(),
        field_name="target_groups",
        to_field_name="slug",
        empty_label=_("Any target group"),
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Area"),
        queryset=Area.objects.select_related("parent"),
        to_field_name="slug",
        method="filter_area",
        empty_label=_("Any area"),
    )
    q = django_filters.CharFilter(label=_("Name contains"), method="filter_name")

    class Meta:
        model = Organisation
        fields = ["field", "target_group", "area", "q"]

    def filter_area(self, queryset, name, value):
        """A municipality covers its districts: "Kuopio" also finds clubs in Neulamäki."""
        return queryset.filter(Q(areas=value) | Q(areas__parent=value)).distinct()

    def filter_name(self, queryset, name, value):
        value = value.replace("\x00", "").strip()
        return queryset.filter(name__icontains=value) if value else queryset

    @property
    def qs(self):
        return super().qs.distinct().order_by("name")
