"""SMS gateways, chosen by `settings.LMS_SMS_BACKEND` (a dotted path).

- `notify.sms.FileBackend` (development and tests): appends each message as one JSON line to
  `settings.LMS_SMS_FILE` (var/sms.log) and logs it.
- `notify.sms.HttpBackend`: POSTs JSON {"to", "text", "reference"} to `LMS_SMS_HTTP_URL` with
  `Authorization: Bearer <LMS_SMS_HTTP_API_KEY>`; any non-2xx answer or network error is a
  failure the delivery retries. `reference` is stable per delivery, so a provider that
  de-duplicates by it never sends a retried message twice.

Another provider (Zalo ZNS, a carrier's API) is another class with `send(to, text, reference)`.
"""

import json
import logging
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    pass


class FileBackend:
    def send(self, *, to: str, text: str, reference: str) -> None:
        path = Path(settings.LMS_SMS_FILE)
        path.parent.mkdir(parents=True, exist_ok=True)
        line = {"at": timezone.now().isoformat(), "to": to, "text": text, "ref": reference}
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        logger.info("SMS to %s: %s", to, text)


class HttpBackend:
    def send(self, *, to: str, text: str, reference: str) -> None:
        url = settings.LMS_SMS_HTTP_URL
        if not url:
            raise SmsError("LMS_SMS_HTTP_URL is not set")
        request = urllib.request.Request(
            url,
            data=json.dumps({"to": to, "text": text, "reference": reference}).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.LMS_SMS_HTTP_API_KEY}",
                "Idempotency-Key": reference,
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.LMS_SMS_HTTP_TIMEOUT) as answer:
                answer.read(4096)
        except urllib.error.HTTPError as exc:
            raise SmsError(f"HTTP {exc.code} from the SMS provider") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"SMS provider unreachable: {exc}") from exc


def sms_backend():
    return import_string(settings.LMS_SMS_BACKEND)()
