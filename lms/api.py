"""The single django-ninja API of Học Số, at /api/v1/ (docs at /api/v1/docs, schema at
/api/v1/openapi.json).

Each room adds its router here; no other module creates a NinjaAPI. Errors are RFC 9457
problem documents (core.api.ProblemNinjaAPI).
"""

from certificates.api import router as certificates_router
from core.api import ProblemNinjaAPI
from courses.api import router as courses_router
from people.api import router as people_router
from targets.api import router as targets_router

DESCRIPTION = """\
The REST API of Học Số for other systems (a province's HR or statistics system, the LGSP
integration platform). Authenticate with an API key made by an administrator:
`Authorization: Bearer hs_…`. A key sees the org units it was granted and everything below
them, and has the permissions `read` and/or `enrol`. Lists page with an opaque `cursor`
(follow `next`; `limit` 1–500). Errors are RFC 9457 problem details
(`application/problem+json`), in Vietnamese unless `Accept-Language: en` asks for English.
Requests per key and minute are limited (429 with `Retry-After`).

API REST của Học Số cho các hệ thống khác (hệ thống nhân sự, thống kê của tỉnh, nền tảng
LGSP). Xác thực bằng khóa API do quản trị viên cấp: `Authorization: Bearer hs_…`. Mỗi khóa
chỉ xem được các đơn vị được cấp và các đơn vị trực thuộc; quyền `read` (đọc) và `enrol`
(ghi danh). Danh sách phân trang bằng `cursor`. Lỗi theo chuẩn RFC 9457.
"""

api = ProblemNinjaAPI(
    title="Học Số API", version="1", urls_namespace="api", description=DESCRIPTION
)
api.add_router("/certificates/", certificates_router)
api.add_router("/", people_router)
api.add_router("/", courses_router)
api.add_router("/", targets_router)
