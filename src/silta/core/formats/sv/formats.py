"""Swedish as written in Finland (finlandssvenska): 2.12.2026 kl. 05.00."""

DATE_FORMAT = "j.n.Y"
TIME_FORMAT = "H.i"
DATETIME_FORMAT = r"j.n.Y \k\l. H.i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j.n."
SHORT_DATE_FORMAT = "j.n.Y"
SHORT_DATETIME_FORMAT = r"j.n.Y \k\l. H.i"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
TIME_INPUT_FORMATS = ["%H.%M", "%H:%M", "%H.%M.%S", "%H:%M:%S"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H.%M", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
