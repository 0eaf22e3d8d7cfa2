"""Reads for the targets room, all scoped and aggregated in SQL (see each module)."""
