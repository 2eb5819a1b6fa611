"""The reports of the procedures: pure functions from the figures to a report of Dutch text and protected
tables (docs/reports.md). Renderers (PDF, CSV, XLSX) are reporting's adapters; they see only
:class:`~klachtspoor.disclosure.ProtectedTable` values."""
