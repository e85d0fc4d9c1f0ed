"""The JSON API at /api/v1/ for the organisations' own case-management systems.

Every endpoint requires a unit's API key (global ``auth``). Errors are JSON
``{"code": <stable code>, "message": <translated text>}`` (``silta.config.api_errors``);
the language follows ``Accept-Language`` (fi, sv, en).
"""

from __future__ import annotations

from silta.analytics.api import router as analytics_router
from silta.api_keys.auth import ApiKeyAuth
from silta.bookings.api import router as bookings_router
from silta.callbacks.api import router as callbacks_router
from silta.clients.api import router as clients_router
from silta.config.api_errors import SiltaApi
from silta.consents.api import router as consents_router
from silta.cooperation.api import router as cooperation_router
from silta.directory.api import router as directory_router
from silta.exchange.api import router as exchange_router
from silta.knowledge.api import router as knowledge_router
from silta.meetings.api import router as meetings_router
from silta.referrals.api import router as referrals_router
from silta.webhooks.api import router as webhooks_router
from silta.workdays.api import router as calendar_router

DESCRIPTION = """Shared cases between Kela and social services.

Authenticate with a unit's API key: `Authorization: Bearer silta_…`.

**Errors** are JSON `{"code": "<stable code>", "message": "<text>"}` (sometimes with
`field`), in the language of `Accept-Language` (fi, sv, en). Text may not contain a null
character or an unpaired surrogate (400 `invalid_characters`). During a database outage
the answer is 503 with `Retry-After`.

**Idempotency-Key.** The POSTs that create something or move a referral (clients, cases,
threads, messages, call-back requests, referrals and their transitions) accept an
`Idempotency-Key` header, at most 200 characters, unique per API key:
- the first request's answer is stored; a retry with the same key and the same content
  gets the same status and body back and does nothing again;
- the stored answer may be an error: a key whose request the service refused with a 4xx
  (400, 403, 404, 409) is used up, and retrying it returns the same error; correct the
  request and send it with a new key;
- requests refused before they reach the service (401, 413, 415, 422, and 400 for an
  unreadable body or a refused character) and requests that failed with a 5xx (500, 503)
  store nothing: retry them with the same key;
- the same key with different content is refused with 409 `idempotency_key_reused`;
- a retry sent while the first request is still running waits for its answer.
"""

api = SiltaApi(
    title="Silta API",
    version="1",
    description=DESCRIPTION,
    auth=ApiKeyAuth(),
    urls_namespace="api",
)
ROUTERS = [
    clients_router,
    exchange_router,
    directory_router,
    callbacks_router,
    referrals_router,
    calendar_router,
    consents_router,
    cooperation_router,
    meetings_router,
    bookings_router,
    knowledge_router,
    webhooks_router,
    analytics_router,
]
# A changing operation needs the key's scope named by its router's tag (api_keys.scopes).
for router in ROUTERS:
    api.add_router("/", router, auth=ApiKeyAuth(scope=router.tags[0] if router.tags else ""))
