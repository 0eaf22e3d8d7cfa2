"""The public verify page a stranger reads: each state (valid, revoked, unknown key, invalid)
told in words, an icon and a colour, in Vietnamese and English; the issuer and the signatory,
and nothing about the holder beyond the certified facts. The PDF names who certifies."""

import subprocess
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings

from certificates import services, signing
from certificates.models import CertificateTemplate
from tests.certificates.test_verification import pdf_text, qr_payload
from tests.factories import make_admin, make_learner

pytestmark = pytest.mark.django_db

ISSUER = "Ban Dân tộc tỉnh Gia Lai"
SIGNATORY = "Rơ Châm Hlin"
TITLE = "Trưởng ban"
HOLDER = "Nguyễn Thị Hương"

# The verdict heading, per state and language (hand-written, not read from the .po file).
HEADINGS = {
    "vi": {
        "valid": "Chứng nhận hợp lệ",
        "revoked": "Chứng nhận đã bị thu hồi",
        "unknown_key": "Không rõ đơn vị cấp: không thể xác nhận chứng nhận này",
        "invalid": "Không hợp lệ: mã bị hỏng, bị sửa hoặc giả mạo",
    },
    "en": {
        "valid": "Valid certificate",
        "revoked": "Revoked certificate",
        "unknown_key": "Unknown issuer: not a certificate we can vouch for",
        "invalid": "Not valid: damaged, altered or forged",
    },
}
FACT_LABELS = {
    "vi": ["Người được cấp", "Khoá học", "Thời lượng học", "Ngày hoàn thành", "Đơn vị cấp"],
    "en": ["Holder", "Course", "Study time", "Completed on", "Issued by"],
}


@pytest.fixture
def issued(course, commune, complete):
    template = CertificateTemplate.objects.create(
        name="Gia Lai",
        issuer_name=ISSUER,
        signatory_name=SIGNATORY,
        signatory_title=TITLE,
        place="Pleiku",
        serial_prefix="GL",
    )
    template.courses.add(course)
    learner = make_learner(unit=commune, full_name=HOLDER, username="huong")
    learner.email = "huong@example.org"
    learner.save(update_fields=["email"])
    certificate = complete(learner, course)
    assert certificate.status == "issued" and certificate.template == template
    return certificate


def page(client, token: str, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(f"/v/{token}/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def verdict(html, state: str, language: str):
    """The checks every state shares: the state as a data attribute, a class for its colour,
    an icon hidden from screen readers, and the state in words as the page's heading."""
    article = html.select_one("article.verify")
    assert article["data-state"] == state
    box = article.select_one("section.verdict-box")
    assert box["data-verdict"] == state and f"verdict-{state}" in box["class"]
    icon = box.select_one("svg.verdict-icon")
    assert icon["aria-hidden"] == "true" and icon.select("path, circle")
    title = box.select_one("h1#verdict-title")
    assert article["aria-labelledby"] == "verdict-title"
    assert title.get_text(" ", strip=True) == HEADINGS[language][state]
    assert not html.select("script[src^='http'], link[href^='http']")  # no CDN
    return article, box


def facts(article) -> dict:
    return {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in article.select("dl.certified dt")
    }


def signed_by_stranger(certificate) -> str:
    stranger = Ed25519PrivateKey.generate()
    claims, _payload, _signature = signing.token_parse(certificate.token)
    claims = signing.Claims(**{**claims.__dict__, "kid": signing.key_id(stranger.public_key())})
    return signing.token_sign(claims, stranger)


def forged(certificate) -> str:
    """A token whose facts were changed (the holder's name) and re-signed with a stranger's
    key under our key id: what a forger can do without our private key."""
    stranger = Ed25519PrivateKey.generate()
    claims, _payload, _signature = signing.token_parse(certificate.token)
    return signing.token_sign(
        signing.Claims(**{**claims.__dict__, "holder": "Nguyễn Văn Giả"}), stranger
    )


@pytest.mark.parametrize("language", ["vi", "en"])
def test_valid(client, issued, course, language):
    article, box = verdict(page(client, issued.token, language), "valid", language)
    assert ISSUER in box.get_text(" ", strip=True)  # "issued by <issuer>" in the verdict
    shown = facts(article)
    labels = FACT_LABELS[language]
    assert [shown[label] for label in labels] == [
        HOLDER,
        course.title,
        "4 giờ" if language == "vi" else "4 hours",
        issued.completed_on.strftime("%d/%m/%Y"),
        ISSUER,
    ]
    assert article.select_one(".signatory-name").get_text() == SIGNATORY
    assert article.select_one(".signatory-title").get_text() == TITLE
    assert article.select_one("dd.serial").get_text() == issued.serial
    # Nothing else about the holder: seven facts, no username, e-mail or unit.
    assert len(shown) == 7
    text = article.get_text(" ", strip=True)
    for private in ("huong@example.org", "huong", "Ia Grai"):
        assert private not in text.replace(HOLDER, "")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_revoked_says_when_and_why(client, issued, language, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(certificate=issued, actor=make_admin(), reason="Cấp nhầm")
    issued.refresh_from_db()
    article, box = verdict(page(client, issued.token, language), "revoked", language)
    assert box.select_one("dd.reason").get_text() == "Cấp nhầm"
    revoked_at = box.select_one("dd.revoked-at time")
    local = issued.revoked_at.astimezone(ZoneInfo(settings.TIME_ZONE))
    assert revoked_at.get_text() == local.strftime("%d/%m/%Y %H:%M")
    assert revoked_at["datetime"].startswith(local.strftime("%Y-%m-%dT%H:%M"))
    assert facts(article)[FACT_LABELS[language][0]] == HOLDER  # what was certified, still shown


@pytest.mark.parametrize("language", ["vi", "en"])
def test_unknown_key(client, issued, language):
    html = page(client, signed_by_stranger(issued), language)
    article, box = verdict(html, "unknown_key", language)
    assert not article.select("dl.certified") and HOLDER not in html.get_text()


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("how", ["forged", "truncated", "garbage"])
def test_invalid_and_forged(client, issued, language, how):
    token = {
        "forged": forged(issued),
        "truncated": issued.token[:-10],
        "garbage": "not-a-certificate",
    }[how]
    html = page(client, token, language)
    article, box = verdict(html, "invalid", language)
    # Names nobody, neither the forged name nor the genuine holder's, and no signatory.
    text = html.get_text()
    for name in ("Nguyễn Văn Giả", HOLDER, SIGNATORY):
        assert name not in text
    assert not article.select("dl.certified")
    assert box.select_one(".reason").get_text(strip=True)


def test_forged_looks_different_from_valid(client, issued):
    valid = page(client, issued.token, "vi").select_one("section.verdict-box")
    fake = page(client, forged(issued), "vi").select_one("section.verdict-box")
    assert valid["class"] != fake["class"]
    assert str(valid.select_one("svg")) != str(fake.select_one("svg"))
    assert valid.h1.get_text(strip=True) != fake.h1.get_text(strip=True)


def test_query_budget(client, issued, django_assert_num_queries):
    client.get(f"/v/{issued.token}/")  # warms the cache: keys and the certificate's state
    # A genuine certificate: 1 query, its template's signatory (not cached, so an edited
    # template shows at once). Keys and state come from the cache.
    with django_assert_num_queries(1):
        html = BeautifulSoup(client.get(f"/v/{issued.token}/").content, "html.parser")
    assert html.select_one(".signatory-name").get_text() == SIGNATORY
    # A forged one is refused from the cache alone, and names nobody.
    token = forged(issued)
    with django_assert_num_queries(0):
        html = BeautifulSoup(client.get(f"/v/{token}/").content, "html.parser")
    assert html.select_one("article.verify")["data-state"] == "invalid"


def test_css_gives_each_state_its_own_colour():
    css = (settings.BASE_DIR / "static/css/site.css").read_text()
    colours = {}
    for state in ("valid", "revoked", "expired", "invalid", "unknown_key"):
        rule = css.split(f".verdict-{state} {{", 1)[1].split("}", 1)[0]
        colours[state] = rule.split("border-color:", 1)[1].split(";", 1)[0].strip()
    assert len(set(colours.values())) == 5, colours


def test_pdf_names_issuer_and_signatory_and_qr_decodes(client, issued, tmp_path):
    path = tmp_path / "certificate.pdf"
    path.write_bytes(issued.pdf.read())
    text = pdf_text(path)
    for printed in (ISSUER, SIGNATORY, TITLE, HOLDER, issued.serial):
        assert printed in text, printed
    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert HOLDER in raw  # the exact name with its diacritics, not only in layout mode
    assert qr_payload(path, tmp_path) == issued.verify_url


def test_no_signatory_row_when_the_template_has_none(client, course, hblin, complete):
    certificate = complete(hblin, course)  # the default template: no signatory set
    assert not certificate.template.signatory_name and not certificate.template.signatory_title
    article, _box = verdict(page(client, certificate.token, "en"), "valid", "en")
    assert not article.select(".signatory")
    assert list(facts(article)) == [*FACT_LABELS["en"], "Serial"]
