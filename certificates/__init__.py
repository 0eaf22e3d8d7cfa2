"""Certificates: templates, issuing (transactional outbox, Celery), the PDF, the signed QR
token (CWT), the Open Badges 3.0 credential with its Data Integrity proof, issuers' DID
documents, revocation and verification online and offline. Imports `courses`, `people` and
`core`."""
