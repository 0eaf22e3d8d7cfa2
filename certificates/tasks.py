"""Celery tasks: thin wrappers that hand certificate ids to a service."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as KombuOperationalError

from . import services

logger = logging.getLogger(__name__)


# Errors worth trying again soon: the database or the broker going away for a moment. The
# task is retried with a growing delay; once the retries run out the rows stay pending and the
# outbox sweep sends them again later.
RETRY_ON = (OperationalError, InterfaceError, KombuOperationalError, ConnectionError, TimeoutError)


@shared_task(
    acks_late=True,
    soft_time_limit=300,
    time_limit=360,
    ignore_result=True,
    autoretry_for=RETRY_ON,
    retry_backoff=2,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=8,
)
def issue_certificates(certificate_ids: list[int]) -> None:
    """Render and sign a batch of pending certificates (up to services.BATCH_SIZE).

    Idempotent (the service acts on pending rows only), so a redelivered message after a
    worker dies (acks_late), a duplicate enqueue or the outbox sweep issues each at most
    once. A certificate that cannot be rendered is marked failed by the service. A database
    or broker error is retried (RETRY_ON); any other error that stops the whole batch (no
    signing key) marks every one still pending as failed, with the error, for the sweep's
    automatic retries and an administrator to see.
    """
    try:
        services.certificates_issue(certificate_ids=certificate_ids)
    except RETRY_ON:
        logger.warning("certificates %s: retrying after an error", certificate_ids, exc_info=True)
        raise
    except Exception as exc:
        logger.exception("certificates %s could not be issued", certificate_ids)
        for certificate_id in certificate_ids:
            services.certificate_fail(
                certificate_id=certificate_id, error=f"{type(exc).__name__}: {exc}"
            )


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, ignore_result=True)
def issue_certificate(certificate_id: int) -> None:
    """One certificate: the message of earlier versions, still accepted from the queue."""
    issue_certificates([certificate_id])


@shared_task(ignore_result=True)
def certificate_files_sweep() -> int:
    """Daily (Celery beat): remove the PDFs of batches a killed worker never claimed."""
    return services.certificate_files_sweep()


@shared_task(ignore_result=True)
def certificates_outbox_sweep() -> int:
    """Every few minutes (Celery beat): queue again the pending certificates nobody issued
    and the failed ones due for an automatic retry (services.certificates_outbox_sweep)."""
    return services.certificates_outbox_sweep()
