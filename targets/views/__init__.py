"""Manager pages under /manage/: dashboard, drill-down, evidence, audit, imports, reports."""
