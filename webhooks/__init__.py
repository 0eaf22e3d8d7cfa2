"""Webhooks: outside systems subscribe to events (completions, certificates issued and
revoked, report submissions) and receive each as a signed POST, retried with backoff.

Sits above targets (it listens to the courses and certificates rooms' signals); no room
imports it.
"""
