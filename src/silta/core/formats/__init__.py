"""Date and number formats for Silta's languages as used in Finland (FORMAT_MODULE_PATH).

Finnish uses Django's own ``fi`` formats (``2.12.2026 5.00``). Swedish follows the
Swedish of Finland rather than Sweden's ISO dates: ``2.12.2026 kl. 05.00``. English uses
day.month.year and a 24-hour clock (``2.12.2026 05:00``), never the US month/day order.
Exports (CSV, XLSX, API) do not use these: ISO 8601 dates and a decimal point.
"""
