from django.core.management import call_command

from people.models import EthnicGroup, OrgUnit, TargetGroup


def test_import_loads_the_official_tree_and_is_idempotent(db):
    call_command("import_org_units", verbosity=0)
    assert OrgUnit.objects.filter(kind="province", depth=1).count() == 34
    assert OrgUnit.objects.filter(kind="commune", depth=2).count() == 3321
    snapshot = list(
        OrgUnit.objects.order_by("code").values_list("code", "path", "name", "numchild")
    )
    call_command("import_org_units", verbosity=0)
    assert (
        list(OrgUnit.objects.order_by("code").values_list("code", "path", "name", "numchild"))
        == snapshot
    )
    assert OrgUnit.find_problems() == ([], [], [], [], [])
    gia_lai = OrgUnit.objects.get(code="52")
    assert gia_lai.name == "Gia Lai"
    ia_grai = OrgUnit.objects.get(name="Xã Ia Grai")
    assert ia_grai.get_parent() == gia_lai
    assert ia_grai.search_name == "xa ia grai"


def test_ethnic_groups_have_official_gso_codes(db):
    assert EthnicGroup.objects.count() == 54
    codes = dict(EthnicGroup.objects.values_list("code", "name"))
    assert codes["01"] == "Kinh"
    assert codes["04"] == "Hoa"
    assert codes["05"] == "Khơ-me"
    assert codes["06"] == "Mường"
    assert codes["10"] == "Gia-rai"
    assert codes["12"] == "Ê-đê"
    assert codes["13"] == "Ba-na"
    assert codes["54"] == "Rơ-măm"
    assert EthnicGroup.objects.get(code="10").search_name.startswith("gia-rai jrai")
    assert not EthnicGroup.objects.get(code="01").is_minority


def test_target_groups_are_data(db):
    assert list(TargetGroup.objects.values_list("code", flat=True)) == [
        "ethnic-affairs-cadre",
        "commune-civil-servant",
        "village-head",
        "prestigious-person",
        "minority-youth",
        "business",
        "general-public",
    ]
