"""Learning without a connection: the installable app's service worker and web manifest
(`worker`), a course saved on the phone (`manifest`: every URL a course needs offline and its
size), the quiz form that works offline and is graded when it reaches the server (`quiz`), and
the receipt of what the phone did offline, recorded once per client id (`services`).

What the phone reports is only ever a lesson marked done or answers to a quiz: the server
checks the learner, the course and the lesson as for an online request, grades the answers
itself under the attempt policy, and a browser-reported completion earns no certificate.
"""
