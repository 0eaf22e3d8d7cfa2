"""Hook points other rooms listen to.

`course_completed` is sent inside the transaction that completes an enrolment (so a receiver,
such as certificate issuance, can write its own rows atomically with the completion); receivers
must defer side effects such as tasks and emails with `transaction.on_commit`.
Arguments: `enrolment` (the completed `Enrolment`).
"""

from django.dispatch import Signal

course_completed = Signal()
