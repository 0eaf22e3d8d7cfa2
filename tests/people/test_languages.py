"""One list of content languages: courses and the library use it, and it matches the
languages the interface offers (settings.LANGUAGES)."""

from django.conf import settings

from courses.models import CourseLanguage, CoursePage
from library.models import LibraryItemPage, LibraryLanguage
from people.languages import ContentLanguage


def test_the_content_languages_are_the_interface_languages():
    assert ContentLanguage.values == [code for code, _name in settings.LANGUAGES]


def test_courses_and_the_library_share_the_one_list():
    assert CourseLanguage is ContentLanguage
    assert LibraryLanguage is ContentLanguage
    for model in (CoursePage, LibraryItemPage):
        assert model._meta.get_field("language").choices == ContentLanguage.choices


def test_library_hmong_is_migrated_to_the_courses_code(home):
    from importlib import import_module

    from django.apps import apps

    from tests.library.factories import make_item

    migration = import_module("library.migrations.0002_content_languages")
    hmong, jrai = make_item("Sách tiếng Mông"), make_item("Sách tiếng Jrai", language="jra")
    LibraryItemPage.objects.filter(pk=hmong.pk).update(language="hmn")

    migration.forwards(apps, None)

    assert LibraryItemPage.objects.get(pk=hmong.pk).language == "hnj"
    assert LibraryItemPage.objects.get(pk=jrai.pk).language == "jra"
