"""The one HTTP client every source connector uses.

It owns what every statistics API needs and none should write twice: a throttle per source (Kolada
asks for about 5 requests/s; a PxWeb server states its own calls per time window), retries with
exponential backoff on 429 and 5xx that honour `Retry-After`, timeouts, an on-disk cache with a time to
live, and an offline mode that answers from that cache only. Errors name the exact URL that failed,
because "it failed somewhere" is what users of other clients complain about.
"""

from __future__ import annotations

import email.utils
import json
import os
import re
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from jamlik import __version__
from jamlik.errors import JamlikError
from jamlik.sources.cache import ResponseCache, cache_dir_for

__all__ = ["HttpClient", "HttpSettings", "Response", "SourceError", "Throttle", "cache_dir_for"]

# (done, total): how many requests of a download are finished and how many are planned (None: unknown).
ProgressHook = Callable[[int, int | None], None]

Params = Mapping[str, str | int | float | None] | None


class SourceError(JamlikError):
    """A source could not answer as needed. The message names the URL and what to do."""

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None):
        super().__init__(message)
        self.url = url
        self.status = status


class HttpStatusError(SourceError):
    """The server answered with an error status (after any retries)."""

    def __init__(self, method: str, url: str, status: int, detail: str):
        super().__init__(
            f"{method} {url} svarade HTTP {status} / answered HTTP {status}: {detail}",
            url=url,
            status=status,
        )
        self.detail = detail


class OfflineError(SourceError):
    """Offline mode was asked for and the cache holds no answer for this request."""


@dataclass
class HttpSettings:
    """How patient and how cached the client is. Tests shrink the waits; users rarely touch them."""

    timeout: float = 60.0
    retries: int = 5  # further attempts after the first one
    backoff: float = 1.0  # first wait in seconds; doubles on every retry
    max_backoff: float = 60.0
    max_retry_after: float = 600.0  # a server asking for a longer pause gets an error instead
    cache_ttl: float = 24 * 3600.0  # seconds a cached answer is reused; 0 = always ask the server
    offline: bool = False

    @classmethod
    def from_env(cls, **overrides: Any) -> HttpSettings:
        """Defaults, then `JAMLIK_HTTP_TIMEOUT`, `JAMLIK_HTTP_RETRIES`, `JAMLIK_HTTP_BACKOFF`,
        `JAMLIK_CACHE_TTL` (seconds) and `JAMLIK_OFFLINE`, then `overrides`."""
        settings = cls()
        for env, key, kind in (
            ("JAMLIK_HTTP_TIMEOUT", "timeout", float),
            ("JAMLIK_HTTP_RETRIES", "retries", int),
            ("JAMLIK_HTTP_BACKOFF", "backoff", float),
            ("JAMLIK_CACHE_TTL", "cache_ttl", float),
        ):
            if value := os.environ.get(env):
                try:
                    setattr(settings, key, kind(value))
                except ValueError:
                    raise JamlikError(f"${env} must be a number, not {value!r}.") from None
        if os.environ.get("JAMLIK_OFFLINE", "").lower() in {"1", "true", "yes", "ja"}:
            settings.offline = True
        for key, value in overrides.items():
            if value is not None:
                setattr(settings, key, value)
        return settings


class Throttle:
    """At most `calls` requests in any `window` seconds (a sliding window over the last calls)."""

    def __init__(
        self,
        calls: int,
        window: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if calls < 1 or window < 0:
            raise ValueError("a throttle needs calls >= 1 and window >= 0")
        self.calls = calls
        self.window = window
        self._clock = clock
        self._sleep = sleep
        self._sent: deque[float] = deque()

    def wait(self) -> float:
        """Block until one more request fits in the window; return the seconds waited."""
        waited = 0.0
        while True:
            now = self._clock()
            while self._sent and now - self._sent[0] >= self.window:
                self._sent.popleft()
            if len(self._sent) < self.calls:
                self._sent.append(now)
                return waited
            pause = self.window - (now - self._sent[0])
            self._sleep(pause)
            waited += pause


@dataclass
class Response:
    """A finished answer: from the network or from the cache."""

    method: str
    url: str
    status: int
    content_type: str
    text: str
    from_cache: bool = False
    payload: str | None = None  # the request body as sent (part of the cache key)
    cacheable: bool = False

    def json(self) -> Any:
        """The body as JSON, or a SourceError that says what came back instead."""
        try:
            return json.loads(self.text)
        except ValueError:
            kind = self.content_type or "unknown content type"
            raise SourceError(
                f"{self.method} {self.url} gav inte JSON / did not return JSON ({kind}): "
                f"{_snippet(self.text)!r}. Check the URL; a proxy or login page may be in the way.",
                url=self.url,
                status=self.status,
            ) from None


@dataclass
class SourceStats:
    """What one source cost: network requests, retries, cache hits and seconds spent."""

    requests: int = 0
    retries: int = 0
    cache_hits: int = 0
    seconds: float = 0.0


@dataclass
class HttpClient:
    """Shared client: `get`/`post` with throttle, retries, cache and offline mode.

    `cache_dir=None` disables the cache (and makes offline mode fail on every request).
    `sleep` and `clock` are injectable so tests can keep waits short and still observe them.
    """

    settings: HttpSettings = field(default_factory=HttpSettings)
    cache_dir: Path | None = None
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    stats: dict[str, SourceStats] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._throttles: dict[str, Throttle] = {}
        self._client: httpx.Client | None = None
        self._cache = ResponseCache(self.cache_dir) if self.cache_dir is not None else None

    # -- configuration -------------------------------------------------------------------------

    def set_throttle(self, source: str, calls: int, window: float) -> None:
        """Allow `source` at most `calls` requests per `window` seconds.

        Replaces any earlier limit but keeps its record of recent calls, so calls made before the
        server's own limits were known still count against them.
        """
        throttle = Throttle(calls, window, clock=self.clock, sleep=self.sleep)
        if (old := self._throttles.get(source)) is not None:
            throttle._sent.extend(old._sent)
        self._throttles[source] = throttle

    def has_throttle(self, source: str) -> bool:
        return source in self._throttles

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- requests ------------------------------------------------------------------------------

    def get(
        self, url: str, *, source: str, params: Params = None, max_age: float | None = None
    ) -> Response:
        """GET `url`; `max_age` overrides the cache's time to live for this one request."""
        return self._request("GET", url, source=source, params=params, body=None, max_age=max_age)

    def post(
        self,
        url: str,
        body: Any,
        *,
        source: str,
        params: Params = None,
        max_age: float | None = None,
    ) -> Response:
        """POST `body` as JSON. Statistics APIs POST read-only queries, so answers are cached too."""
        return self._request("POST", url, source=source, params=params, body=body, max_age=max_age)

    def get_json(
        self,
        url: str,
        *,
        source: str,
        params: Params = None,
        check: Callable[[Any], Any] | None = None,
        **kw: Any,
    ) -> Any:
        """GET and parse JSON. The answer is cached only once it parsed and `check(body)` (a
        connector's own reading of it) did not raise: a truncated body or a login page answered
        with 200 must never be replayed from the cache."""
        response = self._request(
            "GET", url, source=source, params=params, body=None, defer_cache=True, **kw
        )
        return self._parsed(response, check)

    def post_json(
        self,
        url: str,
        body: Any,
        *,
        source: str,
        params: Params = None,
        check: Callable[[Any], Any] | None = None,
        **kw: Any,
    ) -> Any:
        """POST and parse JSON; cached only once it parsed (see `get_json`)."""
        response = self._request(
            "POST", url, source=source, params=params, body=body, defer_cache=True, **kw
        )
        return self._parsed(response, check)

    def _parsed(self, response: Response, check: Callable[[Any], Any] | None) -> Any:
        try:
            data = response.json()
            if check is not None:
                check(data)
        except Exception:
            if response.from_cache and self._cache is not None:
                # An entry that no longer reads (written by an older jamlik) is dropped too.
                self._cache.remove(response.method, response.url, response.payload)
            raise
        if not response.from_cache and self._cache is not None and response.cacheable:
            self._cache.write(
                response.method,
                response.url,
                response.payload,
                response.status,
                response.content_type,
                response.text,
            )
        return data

    def _request(
        self,
        method: str,
        url: str,
        *,
        source: str,
        params: Params,
        body: Any,
        max_age: float | None = None,
        defer_cache: bool = False,
    ) -> Response:
        extra = {k: v for k, v in (params or {}).items() if v is not None}
        # Merge, never replace: a URL may carry its own query (PxWeb v1's `?config`).
        full_url = str(httpx.URL(url).copy_merge_params(extra) if extra else httpx.URL(url))
        payload = None if body is None else json.dumps(body, sort_keys=True, ensure_ascii=False)
        stats = self.stats.setdefault(source, SourceStats())
        ttl = self.settings.cache_ttl if max_age is None else max_age

        cached = self._cache.read(method, full_url, payload) if self._cache else None
        fresh = cached is not None and time.time() - cached.fetched < ttl
        if cached is not None and (fresh or self.settings.offline):
            stats.cache_hits += 1
            return Response(
                method, full_url, cached.status, cached.content_type, cached.text, True, payload
            )
        if self.settings.offline:
            raise OfflineError(
                f"Offline: inget sparat svar för / no cached answer for {method} {full_url}. "
                "Run the same command once without --offline to fill the cache.",
                url=full_url,
            )

        started = self.clock()
        try:
            response = self._send(method, full_url, payload, source, stats)
        finally:
            stats.seconds += self.clock() - started
        response.payload = payload
        response.cacheable = 200 <= response.status < 300
        if response.cacheable and self._cache is not None and not defer_cache:
            self._cache.write(
                method, full_url, payload, response.status, response.content_type, response.text
            )
        return response

    def _send(
        self, method: str, url: str, payload: str | None, source: str, stats: SourceStats
    ) -> Response:
        client = self._http()
        throttle = self._throttles.get(source)
        headers = {"Accept": "application/json"}
        if payload is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
        attempt = 0
        while True:
            if throttle is not None:
                throttle.wait()
            stats.requests += 1
            wait: float | None = None
            try:
                raw = client.request(
                    method,
                    url,
                    content=None if payload is None else payload.encode("utf-8"),
                    headers=headers,
                )
            except httpx.TimeoutException:
                problem = f"no answer within {self.settings.timeout:g} s (timeout)"
            except httpx.TransportError as exc:
                problem = f"connection failed ({exc.__class__.__name__}: {exc})"
            else:
                response = Response(
                    method,
                    url,
                    raw.status_code,
                    raw.headers.get("content-type", ""),
                    raw.text,
                )
                if raw.status_code != 429 and raw.status_code < 500:
                    if raw.status_code >= 400:
                        raise HttpStatusError(method, url, raw.status_code, _detail(response))
                    return response
                problem = f"HTTP {raw.status_code}: {_detail(response)}"
                wait = _retry_after(raw.headers.get("retry-after"))
                if wait is not None and wait > self.settings.max_retry_after:
                    raise SourceError(
                        f"{method} {url}: the server asks for a pause of {wait:.0f} s "
                        f"(Retry-After); try again later. Servern ber om paus.",
                        url=url,
                        status=raw.status_code,
                    )
            if attempt >= self.settings.retries:
                raise SourceError(
                    f"{method} {url} misslyckades / failed after {attempt + 1} attempts: {problem}. "
                    "The server may be down or overloaded; try again later.",
                    url=url,
                )
            if wait is None:
                wait = min(self.settings.max_backoff, self.settings.backoff * 2**attempt)
            attempt += 1
            stats.retries += 1
            self.sleep(wait)

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                timeout=self.settings.timeout,
                transport=self.transport,
                follow_redirects=True,
                headers={"User-Agent": f"jamlik/{__version__} (+https://github.com/jamlik)"},
            )
        return self._client


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _detail(response: Response) -> str:
    """The most useful short text of an error answer: problem+json, a JSON message, or the body."""
    try:
        body = json.loads(response.text)
    except ValueError:
        body = None
    if isinstance(body, dict):
        parts = [str(body[k]) for k in ("title", "detail", "message", "error") if body.get(k)]
        if parts:
            return " — ".join(dict.fromkeys(parts))
    return repr(_snippet(response.text)) if response.text.strip() else "(empty body)"


def _snippet(text: str, limit: int = 200) -> str:
    plain = re.sub(r"<[^>]+>", " ", text)
    plain = re.sub(r"\s+", " ", plain).strip()
    return plain if len(plain) <= limit else plain[:limit] + "…"
