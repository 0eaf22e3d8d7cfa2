"""Demo notifications for the demo learner (safe to re-run: only when they have none)."""

from .models import Kind, Notification
from .services import notify

DEMO = [
    (
        Kind.GENERAL,
        "Thư viện điện tử đã mở",
        "Đọc văn bản về chuyển đổi số, sổ tay cho người có uy tín và hướng dẫn trồng cà phê "
        "ngay trên điện thoại.",
        "/thu-vien/",
    ),
    (
        Kind.CLASS_REMINDER,
        "Nhắc lịch học: lớp Tin học cơ bản ngày mai",
        "Lớp học lúc 8 giờ sáng tại nhà văn hoá làng. Nhớ mang theo điện thoại.",
        "/learn/",
    ),
    (
        Kind.COURSE_DEADLINE,
        "Còn 7 ngày để hoàn thành khoá học bắt buộc",
        "Khoá Tin học cơ bản cần hoàn thành trước cuối tháng.",
        "/learn/",
    ),
]


def demo_notifications_seed(*, user) -> str:
    if Notification.objects.filter(user=user, kind__in=[k for k, *_ in DEMO]).exists():
        return "Notifications: already there."
    for kind, title, body, url in DEMO:
        notify(user, kind, title, body, url=url)
    return f"Notifications: {len(DEMO)} for {user.username}."
