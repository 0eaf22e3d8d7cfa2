"""The manager pages render the hand-computed figures, by structure."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

pytestmark = pytest.mark.django_db


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def cells(row):
    return [td.get_text(" ", strip=True) for td in row.select("td")]


def test_list_shows_each_target(client, tree):
    client.force_login(tree["users"]["manager_in"])
    page = soup(client.get(reverse("targets:list")))
    found = {r.select_one("a").get_text(strip=True): r for r in page.select(".target-row")}
    first = found["80% trưởng thôn hoàn thành tin học cơ bản"]
    assert cells(first)[4] == "9"  # people, and no population: Xã C has none
    assert first.select_one(".badge.missing") is not None
    assert first.select_one(".progress") is None
    second = found["50% người có uy tín"]
    assert cells(second)[4] == "2 / 8"
    assert second.select_one(".progress")["aria-valuenow"] == "25"
    assert second.select_one(".percent").get_text(strip=True) == "25,0%"  # Vietnamese format


def test_detail_drill_down_and_people(client, tree):
    client.force_login(tree["users"]["manager_in"])
    target = tree["target"]
    page = soup(client.get(reverse("targets:detail", args=[target.pk])))
    rows = {r["data-code"]: cells(r) for r in page.select(".unit-row")}
    a = rows[tree["units"]["A"].code]
    assert a[0] == "Xã A" and a[2:] == ["5", "10", "3"]
    c = rows[tree["units"]["C"].code]
    assert c[2:] == ["1", "—", "—"]
    assert page.select_one(".chart svg title") is not None
    assert len(page.select(".chart rect.bar")) == 12
    # drill into Xã A: the village and the people registered at A itself
    page = soup(
        client.get(reverse("targets:detail", args=[target.pk]), {"unit": tree["units"]["A"].pk})
    )
    rows = {r["data-code"]: cells(r) for r in page.select(".unit-row")}
    assert rows[tree["units"]["A1"].code][2:] == ["1", "3", "2"]
    assert rows[tree["units"]["A"].code][2] == "4"
    # the people behind Xã A's 5
    page = soup(
        client.get(reverse("targets:people", args=[target.pk]), {"unit": tree["units"]["A"].pk})
    )
    names = sorted(cells(r)[0] for r in page.select(".person-row"))
    # L1 has two qualifying completions (c1 and c3): one row each
    assert names == sorted(
        [
            "Ksor Blơng",
            "Ksor Blơng",
            "Nguyễn Thị Hạnh",
            "Rơ Châm Hlin",
            "Siu Y Phôn",
            "Đinh Văn Kiên",
        ]
    )


def test_drill_outside_the_target_is_404(client, tree):
    client.force_login(tree["users"]["manager_in"])
    url = reverse("targets:detail", args=[tree["target"].pk])
    assert client.get(url, {"unit": tree["units"]["Q"].pk}).status_code == 404
    assert client.get(url, {"unit": "abc"}).status_code == 404


def test_bad_filters_are_ignored_not_500(client, tree):
    client.force_login(tree["users"]["manager_in"])
    url = reverse("targets:detail", args=[tree["target"].pk])
    assert client.get(url, {"year": "x", "ethnic_group": "999999"}).status_code == 200


def test_filter_by_ethnic_group(client, tree):
    client.force_login(tree["users"]["manager_in"])
    url = reverse("targets:detail", args=[tree["target"].pk])
    page = soup(client.get(url, {"ethnic_group": tree["jrai"].pk}))
    rows = {r["data-code"]: cells(r) for r in page.select(".unit-row")}
    assert rows[tree["units"]["A"].code][2] == "1"
    assert rows[tree["units"]["B"].code][2] == "1"


def test_audit_page(client, tree):
    client.force_login(tree["users"]["manager_in"])
    learner = tree["people"]["L2"]
    page = soup(client.get(reverse("targets:learner", args=[learner.pk])))
    assert page.select_one("h1").get_text(strip=True) == "Nguyễn Thị Hạnh"
    titles = sorted(h.get_text(strip=True) for h in page.select(".audit-enrolment h3"))
    assert titles == ["An toàn thông tin", "Tin học cơ bản"]


def test_audit_follows_the_reform_as_far_as_achievement(client, tree):
    """L5 is registered under Xã Cũ 2 (-> Xã Cũ 1 -> Xã A): counted for Tỉnh Mới, so its
    manager may open the evidence; the other province's manager may not."""
    url = reverse("targets:learner", args=[tree["people"]["L5"].pk])
    client.force_login(tree["users"]["manager_in"])
    assert client.get(url).status_code == 200
    client.force_login(tree["users"]["manager_out"])
    assert client.get(url).status_code == 404


def test_names_are_escaped_in_drill_down_rows_and_filters(client, tree):
    """The drill-down rows and filter options are drawn in Python (targets_figures): a unit or
    ethnic group named like markup must come out as text, never as markup."""
    from people.models import EthnicGroup, OrgUnit

    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    OrgUnit.objects.filter(pk=tree["units"]["A"].pk).update(name=evil)
    EthnicGroup.objects.filter(code="10").update(name=evil)
    client.force_login(tree["users"]["manager_in"])
    response = client.get(reverse("targets:detail", args=[tree["target"].pk]))
    page = soup(response)
    assert page.select("script:-soup-contains('alert')") == []
    assert page.select("img[onerror]") == []
    row = page.select_one(f'.unit-row[data-code="{tree["units"]["A"].code}"]')
    assert row.select_one("td").get_text(strip=True) == evil  # shown as text
    assert any(evil == option.get_text() for option in page.select("option"))
