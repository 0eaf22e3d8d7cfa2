"""Hook points other rooms listen to (webhooks).

Both are sent inside the transaction that changes the certificate, so a receiver can write its
own rows atomically with it; receivers defer side effects with `transaction.on_commit`.

- `certificate_issued`: `certificates` (the rows this transaction marked issued).
- `certificate_revoked`: `certificate` (the revoked row, with its reason).
"""

from django.dispatch import Signal

certificate_issued = Signal()
certificate_revoked = Signal()
