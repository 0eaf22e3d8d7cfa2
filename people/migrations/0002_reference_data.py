"""Reference data: the 54 ethnic groups (GSO codes, Decision 121-TCTK/PPCĐ) and target groups."""

import unicodedata

from django.db import migrations

ETHNIC_GROUPS = [
    ("01", "Kinh", "Việt"),
    ("02", "Tày", "Thổ, Ngạn, Phén, Thu Lao, Pa Dí"),
    ("03", "Thái", "Tày Khao, Tày Đăm, Tày Mười, Tày Thanh, Hàng Tổng, Pa Thay, Thổ Đà Bắc"),
    ("04", "Hoa", "Hán, Triều Châu, Phúc Kiến, Quảng Đông, Hải Nam, Hạ, Xạ Phạng"),
    ("05", "Khơ-me", "Khmer, Cur, Cul, Cu, Thổ, Việt gốc Miên, Khơ-me Krôm"),
    ("06", "Mường", "Mol, Mual, Mọi, Mọi Bi, Ao Tá"),
    ("07", "Nùng", "Xuồng, Giang, Nùng An, Phàn Sinh, Nùng Cháo, Nùng Lòi, Quý Rim, Khèn Lài"),
    ("08", "Mông", "H'Mông, HMông, Mèo, Mẹo, Hoa, Mèo Xanh, Mèo Đỏ, Mèo Đen, Ná Mẻo, Mán Trắng"),
    (
        "09",
        "Dao",
        "Mán, Động, Trại, Xá, Dìu Miền, Kiềm, Miền, Quần Trắng, Dao Đỏ, Quần Chẹt, Lô Giang, Dao Tiền, Thanh Y, Lan Tẻn, Đại Bản, Tiểu Bản, Cóc Ngáng, Cóc Mùn, Sơn Đầu",
    ),
    ("10", "Gia-rai", "Jrai, Giơ-rai, Tơ-buăn, Chơ-rai, Hơ-bau, Hđrung, Chor"),
    ("11", "Ngái", "Xín, Lê, Đản, Khách Gia"),
    ("12", "Ê-đê", "Rađê, Đê, Kpạ, A-đham, Krung, Ktul, Đliê Ruê, Blô, Epan, Mđhur, Bih"),
    (
        "13",
        "Ba-na",
        "Bahnar, Gơ-lar, Tơ-lô, Giơ-lâng, Y-lăng, Rơ-ngao, Krem, Roh, ConKđe, A-la Công, Kpăng Công, Bơ-nâm",
    ),
    (
        "14",
        "Xơ-đăng",
        "Xơ-teng, Hđang, Tơ-đra, Mơ-nâm, Ha-lăng, Ca-dong, Kmrâng, Con Lan, Bri-la, Tang",
    ),
    ("15", "Sán Chay", "Cao Lan, Sán Chỉ, Mán Cao Lan, Hờn Bạn, Sơn Tử"),
    ("16", "Cơ-ho", "Xrê, Nốp, Cơ-don, Chil, Lat, Trinh"),
    ("17", "Chăm", "Chàm, Chiêm Thành, Hroi"),
    ("18", "Sán Dìu", "Sán Dẻo, Trại, Trại Đất, Mán Quần Cộc"),
    ("19", "Hrê", "Chăm Rê, Chom, Krẹ Lũy"),
    ("20", "Mnông", "Pnông, Nông, Pré, Bu-đâng, ĐiPri, Biat, Gar, Rơ-lam, Chil"),
    ("21", "Ra-glai", "Ra-clây, Rai, La-oang, Noang"),
    ("22", "Xtiêng", "Xa-điêng"),
    ("23", "Bru-Vân Kiều", "Bru, Vân Kiều, Măng Coong, Tri, Khùa"),
    ("24", "Thổ", "Kẹo, Mọn, Cuối, Họ, Đan Lai, Ly Hà, Tày Pọng, Con Kha, Xá Lá Vàng"),
    ("25", "Giáy", "Nhắng, Dẩng, Pầu Thìn Nu Nà, Cùi Chu, Xa"),
    ("26", "Cơ-tu", "Ca-tu, Cao, Hạ, Phương, Ca-tang"),
    (
        "27",
        "Gié-Triêng",
        "Đgiéh, Tareb, Giang Rẫy Pin, Triêng, Treng, Ta-riêng, Ve, Veh, La-ve, Ca-tang",
    ),
    ("28", "Mạ", "Châu Mạ, Mạ Ngăn, Mạ Xóp, Mạ Tô, Mạ Krung"),
    ("29", "Khơ-mú", "Xá Cẩu, Mứn Xen, Pu Thênh, Tềnh, Tày Hay"),
    ("30", "Co", "Cor, Col, Cùa, Trầu"),
    ("31", "Ta-ôi", "Tôi-ôi, Pa-co, Pa-hi, Ba-hi"),
    ("32", "Chơ-ro", "Dơ-ro, Châu-ro"),
    ("33", "Kháng", "Xá Khao, Xá Súa, Xá Dón, Xá Dẩng, Xá Hốc, Xá Ái, Xá Bung, Quảng Lâm"),
    ("34", "Xinh-mun", "Puộc, Pụa"),
    ("35", "Hà Nhì", "U Ni, Xá U Ni"),
    ("36", "Chu-ru", "Chơ-ru, Chu"),
    ("37", "Lào", "Lào Bốc, Lào Nọi"),
    ("38", "La Chí", "Cù Tê, La Quả"),
    ("39", "La Ha", "Xá Khao, Khlá Phlạo"),
    ("40", "Phù Lá", "Bồ Khô Pạ, Mu Di, Pạ Xá, Phó, Phổ, Va Xơ"),
    ("41", "La Hủ", "Lao, Pu Đang, Khù Xung, Cò Xung, Khả Quy"),
    ("42", "Lự", "Lừ, Nhuồn, Duồn"),
    ("43", "Lô Lô", "Mun Di"),
    (
        "44",
        "Chứt",
        "Sách, Mày, Rục, Mã Liềng, A-rem, Tu vang, Pa-leng, Xơ-lang, Tơ-hung, Chà-củi, Tắc-củi, U-mo, Xá Lá Vàng",
    ),
    ("45", "Mảng", "Mảng Ư, Xá Lá Vàng"),
    ("46", "Pà Thẻn", "Pà Hưng, Tống"),
    ("47", "Cơ Lao", ""),
    ("48", "Cống", "Xắm Khống, Mấng Nhé, Xá Xeng"),
    ("49", "Bố Y", "Chủng Chá, Trọng Gia, Tu Di, Tu Dìn"),
    ("50", "Si La", "Cù Dề Xừ, Khả Pé"),
    ("51", "Pu Péo", "Ka Pèo, Pen Ti Lô Lô"),
    ("52", "Brâu", "Brao"),
    ("53", "Ơ Đu", "Tày Hạt"),
    ("54", "Rơ-măm", ""),
]

TARGET_GROUPS = [
    (
        "ethnic-affairs-cadre",
        "Cán bộ làm công tác dân tộc",
        "Cadres and civil servants working in ethnic affairs.",
    ),
    (
        "commune-civil-servant",
        "Cán bộ, công chức cấp xã",
        "Commune-level cadres and civil servants.",
    ),
    ("village-head", "Trưởng thôn, bản, buôn, làng", "Heads of villages and hamlets."),
    (
        "prestigious-person",
        "Người có uy tín",
        "Prestigious persons in ethnic-minority communities.",
    ),
    ("minority-youth", "Thanh niên dân tộc thiểu số", "Young people of ethnic minorities."),
    (
        "business",
        "Doanh nghiệp, hợp tác xã, hộ kinh doanh",
        "Businesses, co-operatives and household businesses.",
    ),
    ("general-public", "Người dân", "Members of the public."),
]


def _key(value):
    value = unicodedata.normalize("NFD", value.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in value if not unicodedata.combining(ch)).lower()


def load(apps, schema_editor):
    EthnicGroup = apps.get_model("people", "EthnicGroup")
    TargetGroup = apps.get_model("people", "TargetGroup")
    for code, name, other in ETHNIC_GROUPS:
        name = unicodedata.normalize("NFC", name)
        other = unicodedata.normalize("NFC", other)
        EthnicGroup.objects.update_or_create(
            code=code,
            defaults={"name": name, "other_names": other, "search_name": _key(f"{name} {other}")},
        )
    for order, (code, name, description) in enumerate(TARGET_GROUPS):
        TargetGroup.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "sort_order": order}
        )


def unload(apps, schema_editor):
    apps.get_model("people", "EthnicGroup").objects.all().delete()
    apps.get_model("people", "TargetGroup").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
