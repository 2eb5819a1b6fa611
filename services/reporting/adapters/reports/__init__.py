"""The reports rendered as files: PDF (fpdf2), CSV and XLSX (XlsxWriter), and the JSON document. Each
renderer takes a :class:`~services.reporting.domain.reports.model.Report`, whose tables are all
protected, and depends on nothing but it: the same report gives the same bytes (docs/reports.md)."""
