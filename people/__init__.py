"""People: the org-unit tree, ethnic and target groups, profiles, scopes (who may act where)
and learner accounts (`accounts`), sign-in and its limits. Imports only `core`; every other
room reads people through `people.selectors` (scoping in SQL)."""
