"""Job kinds and their handlers. Apps above ``jobs`` register what they can run in the background
(in their ``AppConfig.ready``), so the arrow points down: ``jobs`` imports no domain app.

A handler is ``handler(job, progress) -> dict``: it reads ``job.params`` (and ``job.payload``), does
all its writes in one transaction, reports progress with ``progress(done, total=None, stage="")``
and returns the result a page shows (JSON-serialisable). It raises ``JobError`` with a message for
the user when the input is refused; any other exception fails the job with its type and message.

A kind whose handler records something outside its own transaction before the work (a matching
run marked 计算中) names ``on_dead(job)``: when the job's worker is found dead
(:func:`lianxi.jobs.runner.reap_dead`), it closes that record as failed. What the handler kept with
``progress.keep(...)`` is in ``job.result``."""

from collections.abc import Callable
from dataclasses import dataclass


class JobError(Exception):
    """A refusal the user can act on (a bad row, a file too large): shown as it is."""

    def __init__(self, message: str, result: dict | None = None):
        super().__init__(message)
        self.result = result or {}


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    handler: Callable
    # Where the finished job's result is shown: a URL name taking the job id, or "" for the job page.
    result_url: str = ""
    # Called with the job when its worker died under it: close what the handler left open.
    on_dead: Callable | None = None


KINDS: dict[str, Kind] = {}


def register(name: str, label: str, *, result_url: str = "", on_dead: Callable | None = None):
    def decorator(handler):
        KINDS[name] = Kind(name, label, handler, result_url, on_dead)
        return handler

    return decorator


def kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"没有名为 {name!r} 的任务类型") from None
