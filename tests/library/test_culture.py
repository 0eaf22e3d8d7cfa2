"""The culture archive: consent, moderation through the workflow (contributors submit,
moderators in scope approve), browse, and the count the targets room can use."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from library.models import CultureEntryPage
from library.selectors import culture_entries_count
from library.services import MODERATORS, culture_moderation_setup
from people.models import EthnicGroup
from tests.factories import make_manager, make_trainer, make_unit

from .factories import archive_index, make_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(home):
    archive = archive_index()
    gia_lai = make_unit("Gia Lai")
    ia_grai = make_unit("Xã Ia Grai", parent=gia_lai)
    ia_pa = make_unit("Xã Ia Pa", parent=gia_lai)
    kon_tum = make_unit("Quảng Ngãi")
    culture_moderation_setup()
    moderators = Group.objects.get(name=MODERATORS)
    moderator = make_manager(scope=ia_grai, username="moderator")
    elsewhere = make_manager(scope=ia_pa, username="elsewhere")
    for user in (moderator, elsewhere):
        user.groups.add(moderators)
    return {
        "archive": archive,
        "gia_lai": gia_lai,
        "ia_grai": ia_grai,
        "kon_tum": kon_tum,
        "jrai": EthnicGroup.objects.get(code="10"),
        "bahnar": EthnicGroup.objects.get(code="13"),
        "trainer": make_trainer(scope=gia_lai, username="trainer"),
        "moderator": moderator,
        "elsewhere": elsewhere,
    }


def entry_form(world, *, consent=True, **extra):
    data = {
        "title": "Lễ cúng bến nước",
        "slug": "le-cung-ben-nuoc",
        "kind": "festival",
        "ethnic_group": world["jrai"].pk,
        "province": world["gia_lai"].pk,
        "commune": world["ia_grai"].pk,
        "season": "Mùa khô",
        "summary": "Lễ cúng bến nước của làng.",
        "body": rich_text("<p>Cả làng cùng làm lễ ở bến nước.</p>"),
        "media": inline_formset([]),
        "comments": inline_formset([]),
        "consent_given": "on" if consent else "",
        "consent_by": "Già làng Plei Ơi" if consent else "",
        "consent_date": "2026-03-01" if consent else "",
        **extra,
    }
    return nested_form_data(data)


def add_url(world):
    return reverse(
        "wagtailadmin_pages:add",
        args=["library", "cultureentrypage", world["archive"].pk],
    )


def test_contributor_submits_for_moderation_and_cannot_publish(client, world):
    client.force_login(world["trainer"])
    response = client.post(add_url(world), {**entry_form(world), "action-publish": "publish"})
    assert response.status_code == 302
    entry = CultureEntryPage.objects.get(slug="le-cung-ben-nuoc")
    assert not entry.live  # the publish button does nothing for a contributor
    assert entry.contributor == world["trainer"]
    assert not entry.permissions_for_user(world["trainer"]).can_publish()
    edit = reverse("wagtailadmin_pages:edit", args=[entry.pk])
    response = client.post(edit, {**entry_form(world), "action-submit": "submit"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert not entry.live
    assert entry.workflow_in_progress


def test_consent_is_required_to_submit(client, world):
    client.force_login(world["trainer"])
    response = client.post(
        add_url(world), {**entry_form(world, consent=False), "action-submit": "submit"}
    )
    assert response.status_code == 200
    assert not CultureEntryPage.objects.filter(slug="le-cung-ben-nuoc").exists()
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("[data-field-wrapper] .error-message, .error-message") is not None


def test_commune_must_be_in_the_province(client, world):
    client.force_login(world["trainer"])
    other = make_unit("Xã khác", parent=world["kon_tum"])
    client.post(add_url(world), {**entry_form(world, commune=other.pk), "action-submit": "1"})
    assert not CultureEntryPage.objects.filter(slug="le-cung-ben-nuoc").exists()


def submitted(client, world) -> CultureEntryPage:
    client.force_login(world["trainer"])
    client.post(add_url(world), {**entry_form(world), "action-submit": "submit"})
    client.logout()
    entry = CultureEntryPage.objects.get(slug="le-cung-ben-nuoc")
    assert entry.workflow_in_progress
    return entry


def approve_url(entry):
    task_state = entry.current_workflow_task_state
    return reverse("wagtailadmin_pages:workflow_action", args=[entry.pk, "approve", task_state.pk])


def test_moderator_in_scope_approves_and_publishes(client, world):
    entry = submitted(client, world)
    task = entry.current_workflow_task
    assert task.specific.get_actions(entry, world["moderator"])
    client.force_login(world["moderator"])
    response = client.post(approve_url(entry), {"comment": ""})
    assert response.status_code in (200, 302)
    entry.refresh_from_db()
    assert entry.live
    assert WorkflowState.objects.get(object_id=str(entry.pk)).status == "approved"
    assert client.get(entry.url).status_code == 200


def test_moderator_out_of_scope_cannot_approve_or_publish(client, world):
    entry = submitted(client, world)
    assert entry.current_workflow_task.specific.get_actions(entry, world["elsewhere"]) == []
    client.force_login(world["elsewhere"])
    client.post(approve_url(entry), {"comment": ""})
    entry.refresh_from_db()
    assert not entry.live
    edit = reverse("wagtailadmin_pages:edit", args=[entry.pk])
    response = client.post(edit, {**entry_form(world), "action-publish": "publish"})
    assert response.status_code in (302, 403)  # Wagtail's admin turns a refusal into a redirect
    entry.refresh_from_db()
    assert not entry.live


def test_contributor_cannot_approve_own_entry(client, world):
    entry = submitted(client, world)
    assert entry.current_workflow_task.specific.get_actions(entry, world["trainer"]) == []
    client.force_login(world["trainer"])
    client.post(approve_url(entry), {"comment": ""})
    entry.refresh_from_db()
    assert not entry.live


def test_no_entry_is_published_without_consent(world):
    entry = make_entry(
        ethnic_group=world["jrai"], province=world["gia_lai"], publish=False, consent_given=False
    )
    with pytest.raises(ValidationError):
        entry.save_revision().publish()
    entry.refresh_from_db()
    assert not entry.live


def test_browse_by_ethnic_group_and_province(client, world):
    make_entry("Lễ Pơ Thi", ethnic_group=world["jrai"], province=world["gia_lai"])
    make_entry("Nhà rông", ethnic_group=world["bahnar"], province=world["kon_tum"], kind="place")
    draft = make_entry(
        "Bản nháp", ethnic_group=world["jrai"], province=world["gia_lai"], publish=False
    )

    def titles(params):
        soup = BeautifulSoup(client.get("/van-hoa/", params).content, "html.parser")
        return [a.get_text(strip=True) for a in soup.select(".library-list h2 a")]

    assert titles({}) == ["Lễ Pơ Thi", "Nhà rông"]
    assert titles({"ethnic": "10"}) == ["Lễ Pơ Thi"]
    assert titles({"province": world["kon_tum"].code}) == ["Nhà rông"]
    assert titles({"kind": "place"}) == ["Nhà rông"]
    assert titles({"q": "le po thi"}) == ["Lễ Pơ Thi"]
    assert titles({"province": "../../etc", "ethnic": "x"}) == ["Lễ Pơ Thi", "Nhà rông"]
    assert client.get(draft.url or f"/van-hoa/{draft.slug}/").status_code == 404


def test_culture_entries_count(world):
    jrai, gia_lai = world["jrai"], world["gia_lai"]
    make_entry("Lễ Pơ Thi", ethnic_group=jrai, province=gia_lai, commune=world["ia_grai"])
    make_entry("Lễ mừng lúa mới", ethnic_group=jrai, province=gia_lai)
    make_entry("Đan gùi", ethnic_group=jrai, province=gia_lai, kind="craft")
    make_entry("Nháp", ethnic_group=jrai, province=gia_lai, publish=False)
    make_entry("Nhà rông", ethnic_group=world["bahnar"], province=world["kon_tum"])
    assert culture_entries_count("festival", jrai, gia_lai) == 2
    assert culture_entries_count("festival", jrai, world["ia_grai"]) == 1
    assert culture_entries_count(None, jrai, gia_lai) == 3
    assert culture_entries_count("festival", None, None) == 3
    assert culture_entries_count("festival", jrai, world["kon_tum"]) == 0


def test_unpublished_entry_media_are_refused(client, world):
    from library.models import CultureMedia

    from .factories import make_document

    entry = make_entry("Nháp", ethnic_group=world["jrai"], province=world["gia_lai"], publish=False)
    document = make_document("ghi-am.pdf")
    CultureMedia.objects.create(entry=entry, document=document, caption="Ghi âm")
    response = client.get(document.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    from tests.factories import make_learner

    client.force_login(make_learner())
    assert client.get(document.url).status_code == 403  # signed in, but not an editor
    client.force_login(world["trainer"])  # editors (staff) preview drafts
    assert client.get(document.url).status_code == 200


def test_demo_entries_are_marked(client, world):
    entry = make_entry(
        "Lễ Pơ Thi", ethnic_group=world["jrai"], province=world["gia_lai"], is_demo=True
    )
    soup = BeautifulSoup(client.get(entry.url).content, "html.parser")
    assert "minh hoạ" in soup.select_one(".callout").get_text().lower()  # "illustration"


class TestLibraryPageTree(WagtailPageTestCase):
    def test_page_type_rules(self):
        from library.models import CultureArchiveIndexPage, LibraryIndexPage, LibraryItemPage

        self.assertAllowedSubpageTypes(LibraryIndexPage, {LibraryItemPage})
        self.assertAllowedSubpageTypes(LibraryItemPage, set())
        self.assertAllowedSubpageTypes(CultureArchiveIndexPage, {CultureEntryPage})
        self.assertAllowedSubpageTypes(CultureEntryPage, set())
        self.assertAllowedParentPageTypes(CultureEntryPage, {CultureArchiveIndexPage})
