"""Celery tasks: thin wrappers that load a certificate by id and call a service."""

import logging

from celery import shared_task

from . import services
from .models import Certificate

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, ignore_result=True)
def issue_certificate(certificate_id: int) -> None:
    """Render and sign one pending certificate; on any error record it on the row.

    Idempotent (the service acts on a pending row only), so a redelivered message after a
    worker dies (acks_late) or a duplicate enqueue issues at most once.
    """
    try:
        services.certificate_issue(certificate_id=certificate_id)
    except Certificate.DoesNotExist:
        logger.warning("certificate %s no longer exists", certificate_id)
    except Exception as exc:
        logger.exception("certificate %s could not be issued", certificate_id)
        services.certificate_fail(
            certificate_id=certificate_id, error=f"{type(exc).__name__}: {exc}"
        )
