"""Admin screens for targets and population figures, scoped to the manager's units.

Managers (a manager Scope) may add, edit and delete targets and figures whose unit lies in their
subtrees: the listings are filtered in SQL, the unit choices are limited to those units, and an
object outside the scope is a 404 however its URL is reached. Administrators see everything.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic import models as generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from people.models import Scope
from people.selectors import filter_by_unit_scope, user_has_role

from .forms import PopulationForm, ReportDeadlineForm, TrainingTargetForm
from .models import Population, ReportDeadline, TrainingTarget


class ManagerScopePolicy(ModelPermissionPolicy):
    """Every action for administrators and for managers on rows inside their scope."""

    def __init__(self, model, *, unit_path: str):
        super().__init__(model)
        self.unit_path = unit_path

    def user_has_permission(self, user, action):
        return bool(user.is_active) and user_has_role(user, Scope.Role.MANAGER)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and (
            self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()
        )

    def instances_user_has_any_permission_for(self, user, actions):
        return filter_by_unit_scope(
            self.model.objects.all(), user, unit_path=self.unit_path, role=Scope.Role.MANAGER
        )

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        return users.filter(is_superuser=True) | users.filter(scopes__role=Scope.Role.MANAGER)


POLICIES = {
    TrainingTarget: ManagerScopePolicy(TrainingTarget, unit_path="scope_unit__path"),
    Population: ManagerScopePolicy(Population, unit_path="org_unit__path"),
    ReportDeadline: ManagerScopePolicy(ReportDeadline, unit_path="unit__path"),
}
for model, policy in POLICIES.items():
    register_permission_policy(model, policy)


def scoped_queryset(view):
    return POLICIES[view.model].instances_user_has_any_permission_for(view.request.user, ())


class ScopedIndexView(generic.IndexView):
    """The listing starts from the scoped queryset (Wagtail then filters, searches, orders)."""

    def get_base_queryset(self):
        return scoped_queryset(self)


class ScopedEditView(generic.EditView):
    """An object outside the scope is not found (404), whatever its id."""

    def get_queryset(self):
        return scoped_queryset(self)


class ScopedDeleteView(generic.DeleteView):
    def get_queryset(self):
        return scoped_queryset(self)


class ScopedViewSet(ModelViewSet):
    index_view_class = ScopedIndexView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    inspect_view_enabled = False
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return self.form_class


class TrainingTargetViewSet(ScopedViewSet):
    model = TrainingTarget
    form_class = TrainingTargetForm
    icon = "tasks"
    menu_label = _("Training targets")
    list_display = ["name", "scope_unit", "groups_label", "target_percent", "reporting_year"]
    list_filter = ["reporting_year", "target_groups"]
    search_fields = ["name"]
    ordering = ["-reporting_year", "name"]


class PopulationViewSet(ScopedViewSet):
    model = Population
    form_class = PopulationForm
    icon = "group"
    menu_label = _("Population figures")
    list_display = ["org_unit", "target_group", "year", "ethnic_group", "gender", "count"]
    list_filter = ["year", "target_group", "gender"]
    search_fields = ["org_unit__name", "org_unit__code"]
    ordering = ["-year", "org_unit__path"]


class ReportDeadlineViewSet(ScopedViewSet):
    model = ReportDeadline
    form_class = ReportDeadlineForm
    icon = "date"
    menu_label = _("Report deadlines")
    list_display = ["year", "level", "unit", "due_date"]
    list_filter = ["year", "level"]
    ordering = ["-year", "level"]


class TargetsViewSetGroup(ViewSetGroup):
    menu_label = _("Targets")
    menu_icon = "tasks"
    menu_order = 260
    items = (TrainingTargetViewSet, PopulationViewSet, ReportDeadlineViewSet)


@hooks.register("register_admin_viewset")
def register_targets_viewsets():
    return TargetsViewSetGroup()
