"""The API's orjson renderer writes what ninja's standard encoder wrote (issue 10)."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid

from django.db.models import IntegerChoices, TextChoices
from django.utils.translation import gettext_lazy
from ninja.responses import NinjaJSONEncoder

from silta.config.api import api
from silta.core.renderer import ORJSONRenderer, dumps


class Status(TextChoices):
    SENT = "sent", "Sent"


class Level(IntegerChoices):
    HIGH = 3, "High"


UTC = dt.UTC
VALUES = {
    "datetime_with_microseconds": dt.datetime(2026, 12, 2, 15, 0, 0, 123456, tzinfo=UTC),
    "datetime_whole_second": dt.datetime(2026, 1, 1, tzinfo=UTC),
    "datetime_helsinki": dt.datetime(2026, 1, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=2))),
    "date": dt.date(2026, 12, 2),
    "time": dt.time(8, 30, 0, 500000),
    "duration": dt.timedelta(hours=1, minutes=5),
    "uuid": uuid.UUID("d07e4c41-a98c-4b8e-8daf-9244856f7d57"),
    "decimal": decimal.Decimal("1.50"),
    "lazy_text": gettext_lazy("Kela"),
    "text_choice": Status.SENT,
    "integer_choice": Level.HIGH,
    "non_ascii": "Ääkköset ja å",
    "nested": [{"at": dt.datetime(2026, 3, 1, 8, 0, 0, 1000, tzinfo=UTC)}, None, True, 1.5],
}


def test_the_renderer_writes_the_same_values_as_ninjas_encoder() -> None:
    assert json.loads(dumps(VALUES)) == json.loads(json.dumps(VALUES, cls=NinjaJSONEncoder))


def test_datetimes_keep_djangos_millisecond_utc_form() -> None:
    text = dumps({"at": VALUES["datetime_with_microseconds"]})
    assert text == b'{"at":"2026-12-02T15:00:00.123Z"}'


def test_the_api_renders_with_orjson() -> None:
    assert isinstance(api.renderer, ORJSONRenderer)
