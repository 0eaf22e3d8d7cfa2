"""Celery tasks: thin wrappers that hand certificate ids to a service."""

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360, ignore_result=True)
def issue_certificates(certificate_ids: list[int]) -> None:
    """Render and sign a batch of pending certificates (up to services.BATCH_SIZE).

    Idempotent (the service acts on pending rows only), so a redelivered message after a
    worker dies (acks_late) or a duplicate enqueue issues each at most once. A certificate
    that cannot be rendered is marked failed by the service; an error that stops the whole
    batch (no signing key, the database) marks every one still pending as failed, with the
    error, for an administrator to see and retry.
    """
    try:
        services.certificates_issue(certificate_ids=certificate_ids)
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
