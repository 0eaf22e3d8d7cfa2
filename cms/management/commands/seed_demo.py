"""Build the demo site: units, accounts, the page tree and five real courses. Idempotent.

Demo data only: production never runs this. Every account's password is `hocso-demo`.
"""

import datetime
import uuid
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.blocks import StreamValue

from certificates.demo import demo_certificate_seed
from cms.demo import content
from cms.models import HomePage, NewsIndexPage, NewsPage, SiteSettings, StandardPage
from cms.services import site_tree_ensure
from courses.classes.demo import demo_classes_seed
from courses.demo import demo_documents_seed, demo_narration_seed
from courses.h5p.demo import demo_h5p_seed
from courses.models import CourseIndexPage, CoursePage, LessonPage
from courses.services import (
    authoring_roles_setup,
    enrolment_create,
    lesson_progress_mark_done,
)
from courses.translation import sources
from courses.xapi.demo import demo_lrs_client_seed
from people.demo import demo_api_client_seed
from people.management.commands.import_org_units import official_records
from people.models import EthnicGroup, OrgUnit, Scope, TargetGroup
from people.services import (
    org_units_sync,
    profile_get_or_create,
    profile_update,
    scope_grant,
)
from webhooks.demo import demo_webhooks_seed

PASSWORD = "hocso-demo"
DEMO_PROVINCE = "52"  # Gia Lai
OTHER_PROVINCE = "66"  # Đắk Lắk: out of the demo scope, useful to try scoping
LEARNER_COMMUNE = "Xã Ia Grai"
DEMO_VILLAGES = [("V5200001", "Làng Dêr"), ("V5200002", "Làng Bồ")]
ACCOUNTS = [
    # username, full name, superuser, role
    ("admin", "Quản trị Học Số", True, None),
    ("manager", "Rơ Châm Hlin", False, Scope.Role.MANAGER),
    ("trainer", "Nguyễn Thị Hương", False, Scope.Role.TRAINER),
    ("learner", "Siu H'Nương", False, None),
]
BLOCK_NAMESPACE = uuid.UUID("6f1d9f8e-5a0c-4c5e-9b7a-1d2c3b4a5e6f")


def _id(*parts) -> str:
    """Deterministic block ids, so re-seeding yields the same quiz ids."""
    return str(uuid.uuid5(BLOCK_NAMESPACE, "/".join(str(p) for p in parts)))


def lesson_body(course_slug: str, lesson: dict) -> list[dict]:
    """The raw StreamField data of a lesson from the demo content's (type, value) pairs."""
    raw = []
    for index, (block_type, value) in enumerate(lesson["body"]):
        key = (course_slug, lesson["slug"], index)
        if block_type == "quiz":
            value = {
                "title": value["title"],
                "intro": value.get("intro", ""),
                "draw": value.get("draw"),
                "questions": [
                    {
                        "type": "item",
                        "id": _id(*key, "q", qi),
                        "value": {
                            "text": question["text"],
                            "kind": question["kind"],
                            "topic": question.get("topic", ""),
                            "explanation": question.get("explanation", ""),
                            "choices": [
                                {
                                    "type": "item",
                                    "id": _id(*key, "q", qi, "c", ci),
                                    "value": {"text": text, "correct": correct},
                                }
                                for ci, (text, correct) in enumerate(question["choices"])
                            ],
                        },
                    }
                    for qi, question in enumerate(value["questions"])
                ],
            }
        raw.append({"type": block_type, "value": value, "id": _id(*key)})
    return raw


class Command(BaseCommand):
    help = "Create the demo site, courses and accounts (password: hocso-demo). Safe to re-run."

    @transaction.atomic
    def handle(self, *args, **options):
        self.units()
        home = self.home()
        index = self.child(
            home,
            CourseIndexPage,
            "courses",
            title="Khoá học",
            intro="<p>Các khoá học kỹ năng số miễn phí, học trên điện thoại, có chứng chỉ.</p>",
        )
        for course in content.COURSES:
            self.course(index, course)
        self.cms(home)
        self.stdout.write(self.translations())  # before the roles: translators edit these trees
        authoring_roles_setup()
        self.accounts()
        demo_certificate_seed()
        self.targets()
        demo_classes_seed(password=PASSWORD)  # in-person classes (courses.classes)
        self.stdout.write(demo_h5p_seed())
        self.stdout.write(demo_lrs_client_seed(province_code=DEMO_PROVINCE))
        self.stdout.write(self.library(home))
        self.stdout.write(self.notifications())
        self.stdout.write(self.dialogue())
        self.stdout.write(demo_api_client_seed(province_code=DEMO_PROVINCE))  # REST API
        self.stdout.write(demo_webhooks_seed())
        # Documents per province (courses.collections): a private roster, a public guide.
        demo_documents_seed(
            trainer=get_user_model().objects.get(username="trainer"),
            files_dir=Path(content.__file__).resolve().parent / "documents",
        )
        # Synthesised narration (espeak-ng) for the lessons whose data file has `narration`.
        for data in content.COURSES:
            course = sources(CoursePage.objects).get(slug=data["slug"])
            narrated = demo_narration_seed(course=course, lessons=data["lessons"])
            self.stdout.write(narrated, ending="")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(
            "Demo accounts (password: hocso-demo): learner, trainer, manager (Gia Lai), admin"
        )

    # --- people ---------------------------------------------------------------------------
    def units(self):
        org_units_sync(records=official_records({DEMO_PROVINCE, OTHER_PROVINCE}))
        commune = OrgUnit.objects.get(name=LEARNER_COMMUNE, kind=OrgUnit.Kind.COMMUNE)
        org_units_sync(
            records=[
                {
                    "code": code,
                    "name": name,
                    "kind": OrgUnit.Kind.VILLAGE,
                    "division_type": "làng",
                    "parent_code": commune.code,
                }
                for code, name in DEMO_VILLAGES
            ]
        )

    def accounts(self):
        User = get_user_model()
        province = OrgUnit.objects.get(code=DEMO_PROVINCE)
        commune = OrgUnit.objects.get(name=LEARNER_COMMUNE, kind=OrgUnit.Kind.COMMUNE)
        jrai = EthnicGroup.objects.get(code="10")
        kinh = EthnicGroup.objects.get(code="01")
        for username, full_name, superuser, role in ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"is_superuser": superuser, "is_staff": superuser},
            )
            if created:
                user.set_password(PASSWORD)
                user.save()
            profile = profile_get_or_create(user=user)
            if not profile.full_name:
                is_learner = username == "learner"
                profile_update(
                    profile=profile,
                    full_name=full_name,
                    org_unit=commune if is_learner else province,
                    ethnic_group=jrai if username in ("learner", "manager") else kinh,
                    gender="female" if username in ("learner", "trainer") else "male",
                    birth_year=2001 if is_learner else 1985,
                    position="" if is_learner else "Cán bộ Sở Dân tộc và Tôn giáo",
                    target_groups=TargetGroup.objects.filter(
                        code="minority-youth" if is_learner else "ethnic-affairs-cadre"
                    ),
                )
            if role:
                scope_grant(user=user, role=role, org_unit=province)
        learner = User.objects.get(username="learner")
        course = CoursePage.objects.get(slug="tin-hoc-co-ban")
        enrolment_create(user=learner, course=course)
        first = LessonPage.objects.live().child_of(course).order_by("path").first()
        lesson_progress_mark_done(user=learner, lesson=first)

    def library(self, home) -> str:
        from django.contrib.auth.models import Group

        from library.demo import demo_library_seed
        from library.services import MODERATORS

        User = get_user_model()
        result = demo_library_seed(
            home=home,
            province_code=DEMO_PROVINCE,
            commune_name=LEARNER_COMMUNE,
            contributor=User.objects.get(username="trainer"),
        )
        # The demo manager moderates the culture archive of the province.
        User.objects.get(username="manager").groups.add(Group.objects.get(name=MODERATORS))
        return result

    def notifications(self) -> str:
        from notify.demo import demo_notifications_seed

        return demo_notifications_seed(user=get_user_model().objects.get(username="learner"))

    def dialogue(self) -> str:
        from dialogue.demo import demo_dialogue_seed

        return demo_dialogue_seed()

    def targets(self):
        from targets.demo import demo_targets_seed
        from targets.demo_reports import demo_reports_seed

        manager = get_user_model().objects.get(username="manager")
        demo_targets_seed(province_code=DEMO_PROVINCE, manager=manager)
        # Annual reports sent up the chain: communes' reports in each state.
        self.stdout.write(
            demo_reports_seed(province_code=DEMO_PROVINCE, manager=manager, password=PASSWORD)
        )

    # --- pages ----------------------------------------------------------------------------
    def home(self) -> HomePage:
        home = site_tree_ensure(home=content.HOME)
        SiteSettings.objects.filter(site__root_page=home).update(
            issuer_name="Học Số — Sở Dân tộc và Tôn giáo tỉnh Gia Lai (demo)",
            contact_phone="0269 3000 000",
        )
        return home

    def child(self, parent, model, slug, **fields):
        page = model.objects.child_of(parent).filter(slug=slug).first()
        if page is None:
            page = model(slug=slug, **fields)
            parent.add_child(instance=page)
            page.save_revision().publish()
        return page

    def course(self, index, data):
        course = self.child(
            index,
            CoursePage,
            data["slug"],
            title=data["title"],
            topic=data["topic"],
            level=data["level"],
            language=data["language"],
            pass_mark=data["pass_mark"],
            summary=data["summary"],
            description=data["description"],
        )
        for lesson in data["lessons"]:
            if LessonPage.objects.child_of(course).filter(slug=lesson["slug"]).exists():
                continue
            page = LessonPage(
                slug=lesson["slug"],
                title=lesson["title"],
                summary=lesson["summary"],
            )
            page.body = StreamValue(
                LessonPage.body.field.stream_block,
                lesson_body(data["slug"], lesson),
                is_lazy=True,
            )
            course.add_child(instance=page)
            page.save_revision().publish()
        return course

    def translations(self) -> str:
        """The sample translations (cms/demo/data/translations/), made the way a translator
        makes them in the admin: wagtail-localize keeps each Vietnamese segment with its
        translation, publishes the lesson in the target locale and falls back to the
        Vietnamese for segments not translated. Each is marked "bản dịch mẫu" for review by a
        native speaker. A lesson already translated is left as it is (a reviewer's edits stay)."""
        from wagtail.models import Locale
        from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource
        from wagtail_localize.operations import TranslationCreator

        from courses.translation import content_locales_ensure, sources

        content_locales_ensure()
        made = 0
        for item in content.TRANSLATIONS:
            course = sources(CoursePage.objects).get(slug=item["course"])
            lesson = LessonPage.objects.child_of(course).get(slug=item["lesson"])
            locale = Locale.objects.get(language_code=item["language"])
            if lesson.get_translation_or_none(locale) is not None:
                continue
            source, _created = TranslationSource.get_or_create_from_instance(lesson)
            segments = StringSegment.objects.filter(source=source).select_related("string")
            for segment in segments:
                text = item["strings"].get(segment.string.data)
                if text:
                    StringTranslation.objects.update_or_create(
                        translation_of=segment.string,
                        locale=locale,
                        context_id=segment.context_id,
                        defaults={
                            "data": text,
                            "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                        },
                    )
            TranslationCreator(None, [locale]).create_translations(lesson)
            # wagtail-localize publishes when the transaction commits; the demo publishes now,
            # so what follows (and a test inside one transaction) sees the live translation.
            translated = lesson.get_translation(locale)
            if not translated.live:
                translated.get_latest_revision().publish()
            made += 1
        return f"Sample translations (bản dịch mẫu, to be reviewed): {made} lesson(s)."

    def cms(self, home):
        self.child(
            home,
            StandardPage,
            content.ABOUT["slug"],
            **{k: v for k, v in content.ABOUT.items() if k != "slug"},
        )
        news_index = self.child(home, NewsIndexPage, "tin-tuc", title="Tin tức")
        for item in content.NEWS:
            self.child(
                news_index,
                NewsPage,
                item["slug"],
                title=item["title"],
                date=datetime.date.fromisoformat(item["date"]),
                summary=item["summary"],
                body=item["body"],
            )
