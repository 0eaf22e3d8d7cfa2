"""The target page's filter lists (target groups, ethnic groups, courses) come from the cache,
and any change to one of them shows on the next view: saving or deleting bumps their version
after commit."""

import pytest
from django.urls import reverse

from people.models import EthnicGroup, TargetGroup
from targets.forms import FilterForm, reference_lists
from tests.factories import make_course

pytestmark = pytest.mark.django_db


def labels(form, name):
    return [label for _value, label in form.fields[name].choices]


def test_a_new_or_renamed_item_shows_on_the_next_form(django_capture_on_commit_callbacks):
    reference_lists()  # cached
    with django_capture_on_commit_callbacks(execute=True):
        group = EthnicGroup.objects.create(code="99", name="Dân tộc Thử")
        course = make_course("Khoá học Thử", lessons=1, quiz=[])
    form = FilterForm()
    assert "Dân tộc Thử" in labels(form, "ethnic_group")
    assert "Khoá học Thử" in labels(form, "course")
    with django_capture_on_commit_callbacks(execute=True):
        group.name = "Dân tộc Đổi tên"
        group.save()
        TargetGroup.objects.create(code="new-group", name="Nhóm mới")
    form = FilterForm()
    assert "Dân tộc Đổi tên" in labels(form, "ethnic_group")
    assert "Dân tộc Thử" not in labels(form, "ethnic_group")
    assert "Nhóm mới" in labels(form, "target_group")
    with django_capture_on_commit_callbacks(execute=True):
        course.delete()
    assert "Khoá học Thử" not in labels(FilterForm(), "course")


def test_a_rolled_back_change_leaves_no_stale_list(django_capture_on_commit_callbacks):
    """The bump waits for the commit: nothing reads the new rows under an old version."""
    before = reference_lists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        EthnicGroup.objects.create(code="98", name="Dân tộc Chưa lưu")
        assert reference_lists() == before  # not bumped yet: still the cached lists
    assert callbacks, "the bump is registered for the commit"


def test_the_lists_are_read_from_the_database_when_the_cache_is_down(monkeypatch):
    from core.cache import UNKNOWN_VERSION
    from targets import forms

    monkeypatch.setattr(forms.REFERENCE, "current", lambda: UNKNOWN_VERSION)
    EthnicGroup.objects.create(code="97", name="Dân tộc Trực tiếp")
    assert "Dân tộc Trực tiếp" in labels(FilterForm(), "ethnic_group")


def test_a_forged_choice_is_ignored_not_a_500(client, tree):
    client.force_login(tree["users"]["manager_in"])
    url = reverse("targets:detail", args=[tree["target"].pk])
    for params in (
        {"course": "999999"},
        {"target_group": "abc"},
        {"ethnic_group": "1e309"},
        {"course": "1" * 40},
    ):
        response = client.get(url, params)
        assert response.status_code == 200, params
        assert response.context["form"].overrides() == {}


@pytest.mark.parametrize(
    "value",
    [None, "", "2026", 2026, 'x" onfocus="y', "<b>&"],
    ids=["none", "empty", "text", "number", "quotes", "markup"],
)
def test_the_quick_widgets_draw_what_django_draws(value):
    from django import forms

    from targets.forms import QuickNumberInput, QuickSelect, SharedChoices

    attrs = {"id": "id_year", "required": True, "disabled": False, "data-x": "<&>"}
    ours = QuickNumberInput(attrs={"min": 2000, "max": 2100}).render("year", value, attrs)
    theirs = forms.NumberInput(attrs={"min": 2000, "max": 2100}).render("year", value, attrs)
    assert ours == theirs
    choices = [("", "Tất cả"), ("2026", "Năm <2026>"), ('x" onfocus="y', "O'Neil & co")]
    shared = QuickSelect(choices=SharedChoices(choices)).render("f", value, {"id": "id_f"})
    listed = QuickSelect(choices=choices).render("f", value, {"id": "id_f"})
    assert shared == listed


@pytest.mark.parametrize(
    "attrs",
    [
        {},
        {"name": "f", "id": "id_f"},
        {"required": True, "disabled": False, "name": "f", "data-x": '<&>"', "hidden": None},
        {"multiple": True, "autofocus": True, "class": "a b", "aria-label": "Năm 'x'"},
    ],
)
def test_the_quick_select_attributes_are_flatatt(attrs):
    """The select's attributes drawn by hand are Django's `flatatt`, character for character
    (order, escaping, booleans)."""
    from django.forms.utils import flatatt

    from targets.forms import _attributes

    assert _attributes(attrs) == flatatt(attrs)


def test_the_forms_share_their_choices_until_the_lists_change(django_capture_on_commit_callbacks):
    first, second = FilterForm(), FilterForm()
    assert first.fields["course"].choices is second.fields["course"].choices
    with django_capture_on_commit_callbacks(execute=True):
        EthnicGroup.objects.create(code="96", name="Dân tộc Mới")
    assert FilterForm().fields["course"].choices is not first.fields["course"].choices
