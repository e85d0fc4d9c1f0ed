"""Fill the calendar table from the calendar module: ten years back, five ahead."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import migrations

from silta.workdays import calendar

EPOCH = dt.date(2000, 1, 1)  # silta.workdays.table.EPOCH at the time of writing


def fill(apps: Any, schema_editor: Any) -> None:
    working_day = apps.get_model("workdays", "WorkingDay")
    year = calendar.today().year
    day = dt.date(year - 10, 1, 1)
    last = dt.date(year + 5, 12, 31)
    count = calendar.working_days_between(EPOCH, day - dt.timedelta(days=1))
    rows = []
    while day <= last:
        working = calendar.is_working_day(day)
        count += working
        rows.append(working_day(day=day, working=working, n=count, month=day.replace(day=1)))
        day += dt.timedelta(days=1)
    working_day.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
