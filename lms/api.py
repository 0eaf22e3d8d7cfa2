"""The single django-ninja API of Học Số, at /api/v1/ (schema at /api/v1/openapi.json).

Each room adds its router here; no other module creates a NinjaAPI.
"""

from ninja import NinjaAPI

from certificates.api import router as certificates_router

api = NinjaAPI(title="Học Số API", version="1", urls_namespace="api")
api.add_router("/certificates/", certificates_router)
