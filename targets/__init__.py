"""Targets: training targets, population figures, achievement counted from `CompletionFact`
and `TargetAchiever`, the manager pages, exports and the frozen annual report. Imports
`certificates`, `courses`, `people` and `core`."""
