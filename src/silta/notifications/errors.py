"""A delivery attempt that did not succeed (the channels' common error)."""

from __future__ import annotations


class DeliveryError(Exception):
    """``code`` for the delivery log; whether the worker tries again (and not before
    ``retry_after`` seconds, when the other end asked for a pause)."""

    def __init__(
        self,
        code: str,
        status: int | None = None,
        *,
        retryable: bool,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{code} ({status})" if status else code)
        self.code = code
        self.status = status
        self.retryable = retryable
        self.retry_after = retry_after

    @property
    def log_text(self) -> str:
        return self.code + (f" HTTP {self.status}" if self.status else "")
