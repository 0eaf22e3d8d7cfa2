"""Admin screens for people data: org units, scopes, profiles and reference data.

These screens list people and units nationwide and grant roles, so they are for
administrators alone, whatever model permissions a group is given (`AdministratorsOnly`);
managers get scoped views of their learners from the targets room. Profiles come from
sign-up and org units from `import_org_units`, so neither can be added here.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import EthnicGroup, OrgUnit, Profile, Scope, TargetGroup
from .selectors import profile_search_condition


class AdministratorsOnly(ModelPermissionPolicy):
    """Every action for active superusers, except `forbidden` ones; nothing for anyone else."""

    def __init__(self, model, *, forbidden=()):
        super().__init__(model)
        self.forbidden = frozenset(forbidden)

    def user_has_permission(self, user, action):
        return bool(user.is_active and user.is_superuser) and action not in self.forbidden

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True, is_superuser=True)
        return users if set(actions) - self.forbidden else users.none()


for model, forbidden in (
    (OrgUnit, {"add"}),
    (Profile, {"add"}),
    (Scope, ()),
    (TargetGroup, ()),
    (EthnicGroup, ()),
):
    register_permission_policy(model, AdministratorsOnly(model, forbidden=forbidden))


class OrgUnitViewSet(ModelViewSet):
    model = OrgUnit
    icon = "site"
    menu_label = _("Org units")
    list_display = ["name", "code", "kind", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    form_fields = ["name", "kind", "division_type", "valid_from", "valid_to", "replaced_by"]
    add_to_admin_menu = False
    ordering = ["path"]


class ScopeViewSet(ModelViewSet):
    model = Scope
    icon = "key"
    menu_label = _("Scopes")
    list_display = ["user", "role", "org_unit", "created_at"]
    list_filter = ["role"]
    form_fields = ["user", "role", "org_unit"]


class ProfileIndexView(IndexView):
    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return queryset.filter(profile_search_condition(self.search_query))


class ProfileViewSet(ModelViewSet):
    model = Profile
    index_view_class = ProfileIndexView
    icon = "user"
    menu_label = _("Learner profiles")
    list_display = ["full_name", "user", "org_unit", "ethnic_group", "gender", "birth_year"]
    list_filter = ["gender", "preferred_language"]
    search_fields = ["full_name", "phone", "user__username"]
    form_fields = [
        "full_name",
        "gender",
        "birth_year",
        "ethnic_group",
        "org_unit",
        "target_groups",
        "phone",
        "preferred_language",
        "position",
    ]


class TargetGroupViewSet(ModelViewSet):
    model = TargetGroup
    icon = "group"
    menu_label = _("Target groups")
    list_display = ["name", "code", "sort_order"]
    form_fields = ["code", "name", "description", "sort_order"]


class EthnicGroupViewSet(ModelViewSet):
    model = EthnicGroup
    icon = "globe"
    menu_label = _("Ethnic groups")
    list_display = ["code", "name", "other_names"]
    search_fields = ["name", "other_names", "code"]
    form_fields = ["code", "name", "other_names"]


class PeopleViewSetGroup(ViewSetGroup):
    menu_label = _("People")
    menu_icon = "group"
    menu_order = 250
    items = (ProfileViewSet, ScopeViewSet, OrgUnitViewSet, TargetGroupViewSet, EthnicGroupViewSet)


@hooks.register("register_admin_viewset")
def register_people_viewsets():
    return PeopleViewSetGroup()
