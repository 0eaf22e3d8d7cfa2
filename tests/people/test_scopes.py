"""The scope selector filters in SQL: a manager sees their subtree and nothing else."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import Enrolment
from people.models import Profile, Scope
from people.selectors import (
    filter_by_unit_scope,
    profiles_visible_to,
    unit_in_scope,
    units_visible_to,
    user_has_role,
)
from people.services import scope_grant, scope_revoke
from tests.factories import make_admin, make_learner, make_manager, make_trainer, make_unit


def tree():
    gia_lai = make_unit("Gia Lai")
    ia_grai = make_unit("Xã Ia Grai", parent=gia_lai)
    village = make_unit("Làng Dêr", parent=ia_grai, kind="village")
    dak_lak = make_unit("Đắk Lắk")
    ea_kar = make_unit("Xã Ea Kar", parent=dak_lak)
    return gia_lai, ia_grai, village, dak_lak, ea_kar


def test_manager_sees_exactly_their_subtree(db):
    gia_lai, ia_grai, village, dak_lak, ea_kar = tree()
    manager = make_manager(scope=gia_lai)
    in_village = make_learner(unit=village)
    in_commune = make_learner(unit=ia_grai)
    elsewhere = make_learner(unit=ea_kar)
    no_unit = make_learner(unit=None)

    units = set(units_visible_to(manager).values_list("name", flat=True))
    assert units == {"Gia Lai", "Xã Ia Grai", "Làng Dêr"}
    visible = set(profiles_visible_to(manager).values_list("user_id", flat=True))
    assert {in_village.pk, in_commune.pk, manager.pk} <= visible
    assert elsewhere.pk not in visible and no_unit.pk not in visible
    assert unit_in_scope(manager, village) and not unit_in_scope(manager, ea_kar)


def test_scope_test_is_one_sql_query(db):
    gia_lai, ia_grai, *_ = tree()
    manager = make_manager(scope=ia_grai)
    for _ in range(3):
        make_learner(unit=ia_grai)
    with CaptureQueriesContext(connection) as queries:
        count = profiles_visible_to(manager).count()
    assert count == 4  # three learners and the manager's own profile
    assert len(queries) == 1
    assert "EXISTS" in queries[0]["sql"].upper()


def test_roles_are_separate_and_several_scopes_add_up(db):
    gia_lai, ia_grai, village, dak_lak, ea_kar = tree()
    trainer = make_trainer(scope=ia_grai)
    Scope.objects.create(user=trainer, role=Scope.Role.MANAGER, org_unit=ea_kar)
    assert set(units_visible_to(trainer, role="trainer").values_list("name", flat=True)) == {
        "Xã Ia Grai",
        "Làng Dêr",
    }
    assert set(units_visible_to(trainer).values_list("name", flat=True)) == {
        "Xã Ia Grai",
        "Làng Dêr",
        "Xã Ea Kar",
    }
    assert user_has_role(trainer, "trainer") and user_has_role(trainer, "manager")


def test_learners_anonymous_and_admins(db):
    gia_lai, *_ = tree()
    learner = make_learner(unit=gia_lai)
    assert not units_visible_to(learner).exists()
    assert not profiles_visible_to(AnonymousUser()).exists()
    assert not user_has_role(learner)
    admin = make_admin()
    assert profiles_visible_to(admin).count() == Profile.objects.count()


def test_filter_any_queryset_by_scope(db, course):
    gia_lai, ia_grai, village, dak_lak, ea_kar = tree()
    manager = make_manager(scope=gia_lai)
    inside, outside = make_learner(unit=village), make_learner(unit=ea_kar)
    for user in (inside, outside):
        Enrolment.objects.create(user=user, course=course)
    visible = filter_by_unit_scope(
        Enrolment.objects.all(), manager, unit_path="user__profile__org_unit__path"
    )
    assert list(visible.values_list("user_id", flat=True)) == [inside.pk]


def test_granting_a_scope_adds_the_admin_group_and_revoking_removes_it(db):
    from django.contrib.auth.models import Group

    Group.objects.create(name="Trainers")
    gia_lai, *_ = tree()
    trainer = make_trainer(scope=gia_lai)
    assert trainer.groups.filter(name="Trainers").exists()
    scope_revoke(scope=trainer.scopes.get())
    assert not trainer.groups.filter(name="Trainers").exists()
    trainer.refresh_from_db()
    assert not trainer.is_staff


class TestScopesChangedInTheAdmin:
    """Scopes added or removed on the admin screens (not through the services) change access
    at once: the signal keeps groups and staff status in step."""

    @pytest.fixture
    def setup(self, client, db):
        from courses.services import authoring_roles_setup

        authoring_roles_setup()
        gia_lai, ia_grai, *_ = tree()
        client.force_login(make_admin())
        return gia_lai, ia_grai, make_learner(unit=ia_grai)

    def test_adding_and_deleting_a_scope(self, client, setup):
        gia_lai, _ia_grai, person = setup
        response = client.post(
            reverse("scope:add"), {"user": person.pk, "role": "trainer", "org_unit": gia_lai.pk}
        )
        assert response.status_code == 302
        person.refresh_from_db()
        assert person.is_staff and person.groups.filter(name="Trainers").exists()
        scope = Scope.objects.get(user=person)
        assert client.post(reverse("scope:delete", args=[scope.pk])).status_code == 302
        person.refresh_from_db()
        assert not person.is_staff
        assert not person.groups.filter(name="Trainers").exists()

    def test_deleting_the_unit_deletes_the_role(self, setup):
        gia_lai, ia_grai, person = setup
        village = make_unit("Làng Mới", parent=ia_grai, kind="village")
        make_manager_scope = Scope.objects.create(user=person, role="manager", org_unit=village)
        person.refresh_from_db()
        assert person.groups.filter(name="Managers").exists()
        village.delete()
        assert not Scope.objects.filter(pk=make_manager_scope.pk).exists()
        person.refresh_from_db()
        assert not person.groups.filter(name="Managers").exists() and not person.is_staff


class TestWhoMayGrant:
    def test_a_manager_grants_only_inside_their_subtree(self, db):
        gia_lai, ia_grai, _village, dak_lak, ea_kar = tree()
        manager = make_manager(scope=gia_lai)
        person = make_learner(unit=ia_grai)
        scope_grant(user=person, role="trainer", org_unit=ia_grai, granted_by=manager)
        with pytest.raises(ValidationError) as error:
            scope_grant(user=person, role="trainer", org_unit=ea_kar, granted_by=manager)
        assert error.value.code == "out_of_scope"
        with pytest.raises(ValidationError):
            scope_grant(user=manager, role="manager", org_unit=dak_lak, granted_by=manager)
        assert not Scope.objects.filter(org_unit__in=[ea_kar, dak_lak]).exists()

    def test_only_administrators_change_administrators(self, db):
        gia_lai, *_ = tree()
        manager = make_manager(scope=gia_lai)
        with pytest.raises(ValidationError):
            scope_grant(user=make_admin(), role="trainer", org_unit=gia_lai, granted_by=manager)


class TestPeopleAdminIsForAdministrators:
    def test_model_permissions_do_not_open_it_to_managers(self, client, db):
        """Even if someone gives the Managers group the profile permissions in /admin/groups/,
        a manager of one province does not get the nationwide list of learners."""
        from django.contrib.auth.models import Permission

        gia_lai, ia_grai, _village, dak_lak, ea_kar = tree()
        manager = make_manager(scope=gia_lai)
        manager.user_permissions.add(
            *Permission.objects.filter(
                content_type__app_label="people",
                codename__in=["view_profile", "change_profile", "add_scope", "change_scope"],
            ),
            Permission.objects.get(codename="access_admin"),
        )
        make_learner(unit=ea_kar)
        client.force_login(manager)
        for name in ("profile:index", "scope:index", "scope:add", "orgunit:index"):
            response = client.get(reverse(name))
            assert response.status_code == 302 and response["Location"] == reverse(
                "wagtailadmin_home"
            ), name

    def test_profiles_and_units_are_not_added_by_hand(self, client, db):
        client.force_login(make_admin())
        for name in ("profile:add", "orgunit:add"):
            response = client.get(reverse(name))
            assert response.status_code == 302, name  # denied: sign-up and the import make them
        assert client.get(reverse("profile:index")).status_code == 200


def test_units_replaced_in_the_reform_count_for_their_successor(db):
    """A learner still registered under a merged commune is seen by the manager of the
    commune that replaced it, in SQL, and not by the manager of an unrelated province."""
    import datetime

    gia_lai, ia_grai, _village, dak_lak, ea_kar = tree()
    old_province = make_unit("Kon Tum (cũ)")
    old_commune = make_unit("Xã Cũ", parent=old_province)
    old_commune.valid_to = datetime.date(2025, 6, 30)
    old_commune.replaced_by = ia_grai
    old_commune.save()
    learner = make_learner(unit=old_commune)
    manager = make_manager(scope=gia_lai)
    assert learner.profile in profiles_visible_to(manager)
    assert old_commune in units_visible_to(manager)
    assert learner.profile not in profiles_visible_to(make_manager(scope=dak_lak))
    in_scope = filter_by_unit_scope(Profile.objects.all(), manager, unit_path="org_unit__path")
    assert learner.profile in in_scope


def test_a_chain_of_replacements_is_followed_as_far_as_targets_follow_it(db):
    """Commune -> merged commune -> renamed commune: the learner of the first is seen by
    the manager of the last one's province (three steps), like the targets count them."""
    from people.selectors import MAX_REPLACEMENT_STEPS

    gia_lai, ia_grai, _village, dak_lak, _ea_kar = tree()
    chain = [make_unit(f"Xã cũ {n}", parent=dak_lak) for n in range(MAX_REPLACEMENT_STEPS)]
    for older, newer in zip(chain, [*chain[1:], ia_grai], strict=True):
        older.replaced_by = newer
        older.save()
    learner = make_learner(unit=chain[0])  # three steps from Ia Grai
    assert learner.profile in profiles_visible_to(make_manager(scope=gia_lai))
    # The Đắk Lắk manager still sees them too: the old units lie in that province's tree.
    assert learner.profile in profiles_visible_to(make_manager(scope=dak_lak))
    # One step more than the limit is not followed.
    first = make_unit("Xã cũ hơn", parent=make_unit("Tỉnh khác"))
    first.replaced_by = chain[0]
    first.save()
    far = make_learner(unit=first)
    assert far.profile not in profiles_visible_to(make_manager(scope=gia_lai))


def test_unit_within_paths_agrees_with_the_sql_test_everywhere(db, django_assert_num_queries):
    """The Python test of one loaded unit (`scope_paths` + `unit_within_paths`, what a target
    page uses) and the SQL EXISTS give the same answer for every unit and every kind of user,
    replacement chains of one to four steps (four: one past the limit) included."""
    from people.selectors import MAX_REPLACEMENT_STEPS, scope_paths, unit_within_paths

    gia_lai, ia_grai, village, dak_lak, ea_kar = tree()
    chain = [make_unit(f"Xã cũ {n}", parent=dak_lak) for n in range(MAX_REPLACEMENT_STEPS + 1)]
    for older, newer in zip(chain, [*chain[1:], ia_grai], strict=True):
        older.replaced_by = newer
        older.save()
    users = [
        make_manager(scope=gia_lai),
        make_manager(scope=ia_grai),
        make_manager(scope=village),
        make_manager(scope=dak_lak),
        make_manager(scope=ea_kar),
        make_trainer(scope=gia_lai),
        make_learner(unit=ia_grai),
        make_admin(),
        AnonymousUser(),
    ]
    units = [gia_lai, ia_grai, village, dak_lak, ea_kar, *chain]
    seen = set()
    for user in users:
        for role in (Scope.Role.MANAGER, Scope.Role.TRAINER, None):
            paths = scope_paths(user, role=role)
            sql = set(units_visible_to(user, role=role).values_list("pk", flat=True))
            for unit in units:
                loaded = type(unit).objects.get(pk=unit.pk)
                assert unit_within_paths(loaded, paths) == (unit.pk in sql), (user, role, unit)
                seen.add(unit.pk in sql)
    assert seen == {True, False}
    # Gia Lai's manager: the last three old communes are followed to Ia Grai, the first
    # (four steps away) is not.
    paths = scope_paths(users[0], role=Scope.Role.MANAGER)
    assert [unit_within_paths(unit, paths) for unit in chain] == [False, True, True, True]
    # A unit that was not replaced costs no query once the paths are read.
    fresh = type(ia_grai).objects.get(pk=ia_grai.pk)
    with django_assert_num_queries(0):
        assert unit_within_paths(fresh, paths)
