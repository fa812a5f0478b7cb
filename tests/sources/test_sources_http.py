"""The shared HTTP client against a real local server: retries, Retry-After, timeouts, errors,
cache and offline mode."""

from __future__ import annotations

import email.utils
import time

import pytest
from sources_server import Reply

from jamlik.sources.http import HttpStatusError, OfflineError, SourceError, Throttle


def ok(seen, server):
    return Reply(200, {"path": seen.path, "n": len(server.seen)})


def test_429_waits_as_long_as_retry_after_says(serve, make_http, sleeps):
    server = serve(ok)
    server.fail_next(Reply(429, "slow down", headers={"Retry-After": "2"}))
    body = make_http().get_json(server.url + "/a", source="t")
    assert body["n"] == 2
    assert sleeps.calls == [2.0]  # the server's word, not the client's backoff (0.01)


def test_retry_after_as_http_date(serve, make_http, sleeps):
    server = serve(ok)
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    server.fail_next(Reply(429, "", headers={"Retry-After": when}))
    make_http().get_json(server.url + "/a", source="t")
    assert len(sleeps.calls) == 1 and 27 <= sleeps.calls[0] <= 30


def test_retry_after_beyond_patience_is_an_error(serve, make_http):
    server = serve(ok)
    server.fail_next(Reply(429, "", headers={"Retry-After": "7200"}))
    with pytest.raises(SourceError, match="pause of 7200 s"):
        make_http(max_retry_after=600).get(server.url + "/a", source="t")


def test_500_then_success_backs_off_exponentially(serve, make_http, sleeps):
    server = serve(ok)
    server.fail_next(Reply(500, "<html>Internal error</html>"), times=2)
    body = make_http(backoff=0.01, max_backoff=1).get_json(server.url + "/a", source="t")
    assert body["n"] == 3
    assert sleeps.calls == [0.01, 0.02]  # backoff, then doubled


def test_persistent_503_gives_up_naming_the_url(serve, make_http, sleeps):
    server = serve(ok)
    server.fail_next(Reply(503, "<html><h1>Service Unavailable</h1></html>"), times=10)
    with pytest.raises(SourceError) as info:
        make_http(retries=3).get(server.url + "/x?y=1", source="t")
    assert len(server.seen) == 4  # first attempt + 3 retries
    assert f"{server.url}/x?y=1" in str(info.value)
    assert "Service Unavailable" in str(info.value)


def test_timeout_is_retried(serve, make_http):
    server = serve(ok)
    server.fail_next(Reply(200, {"late": True}, delay=0.6))
    body = make_http(timeout=0.2).get_json(server.url + "/a", source="t")
    assert body["n"] == 2 and len(server.seen) == 2


def test_timeout_every_time_is_a_clear_error(serve, make_http):
    server = serve(ok)
    server.fail_next(Reply(200, {"late": True}, delay=0.4), times=3)
    with pytest.raises(SourceError, match="timeout"):
        make_http(timeout=0.1, retries=2).get(server.url + "/a", source="t")
    assert len(server.seen) == 3


def test_malformed_json_is_reported_with_the_url(serve, make_http):
    server = serve(lambda s, _: Reply(200, '{"values": [1, 2', content_type="application/json"))
    with pytest.raises(SourceError, match="did not return JSON") as info:
        make_http().get_json(server.url + "/broken", source="t")
    assert server.url + "/broken" in str(info.value)


def test_html_page_where_json_was_expected(serve, make_http):
    page = "<html><head><title>Logga in</title></head><body>Please log in</body></html>"
    server = serve(lambda s, _: Reply(200, page))
    with pytest.raises(SourceError, match="text/html") as info:
        make_http().get_json(server.url + "/api", source="t")
    assert "Please log in" in str(info.value)


def test_404_html_is_an_http_error_not_a_parse_error(serve, make_http):
    server = serve(lambda s, _: Reply(404, "<html><body><h1>Not Found</h1></body></html>"))
    with pytest.raises(HttpStatusError) as info:
        make_http().get_json(server.url + "/nope", source="t")
    assert info.value.status == 404 and "Not Found" in str(info.value)
    assert len(server.seen) == 1  # 4xx is not retried


def test_problem_json_detail_is_shown(serve, make_http):
    problem = {"type": "about:blank", "title": "Bad Request", "detail": "valueCodes[Tid] unknown"}
    server = serve(lambda s, _: Reply(400, problem, content_type="application/problem+json"))
    with pytest.raises(HttpStatusError, match="valueCodes\\[Tid\\] unknown"):
        make_http().post(server.url + "/data", {"selection": []}, source="t")


def test_cache_hit_sends_nothing(serve, make_http):
    server = serve(ok)
    http = make_http()
    first = http.get_json(server.url + "/a", source="t", params={"q": "x"})
    second = http.get_json(server.url + "/a", source="t", params={"q": "x"})
    assert first == second and len(server.seen) == 1
    assert http.stats["t"].requests == 1 and http.stats["t"].cache_hits == 1


def test_post_is_cached_by_body(serve, make_http):
    server = serve(ok)
    http = make_http()
    http.post_json(server.url + "/t", {"a": 1}, source="t")
    http.post_json(server.url + "/t", {"a": 1}, source="t")
    http.post_json(server.url + "/t", {"a": 2}, source="t")
    assert len(server.seen) == 2
    assert [s.body for s in server.seen] == [{"a": 1}, {"a": 2}]


def test_expired_cache_asks_again(serve, make_http):
    server = serve(ok)
    http = make_http(cache_ttl=0)
    http.get(server.url + "/a", source="t")
    http.get(server.url + "/a", source="t")
    assert len(server.seen) == 2


def test_errors_are_not_cached(serve, make_http):
    server = serve(ok)
    server.fail_next(Reply(404, "gone"))
    http = make_http()
    with pytest.raises(HttpStatusError):
        http.get(server.url + "/a", source="t")
    assert http.get_json(server.url + "/a", source="t")["n"] == 2


def test_offline_with_empty_cache_is_a_clear_error(serve, make_http):
    server = serve(ok)
    with pytest.raises(OfflineError, match="without --offline"):
        make_http(offline=True).get(server.url + "/a", source="t")
    assert server.seen == []


def test_offline_answers_from_cache_even_when_stale(serve, make_http):
    server = serve(ok)
    make_http(cache_ttl=0).get_json(server.url + "/a", source="t")
    body = make_http(cache_ttl=0, offline=True).get_json(server.url + "/a", source="t")
    assert body["n"] == 1 and len(server.seen) == 1


def test_throttle_spaces_calls_by_window():
    # Fake clock: 3 calls per 1.0 s; 7 calls at t=0 must wait until t=1 and t=2.
    now = [0.0]
    waits: list[float] = []

    def sleep(s: float) -> None:
        waits.append(s)
        now[0] += s

    throttle = Throttle(3, 1.0, clock=lambda: now[0], sleep=sleep)
    starts = []
    for _ in range(7):
        throttle.wait()
        starts.append(now[0])
    assert starts == [0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 2.0]
    assert sum(waits) == pytest.approx(2.0)


def test_throttle_holds_against_a_real_server(serve, make_http):
    server = serve(ok)
    http = make_http(cache=False, sleep=time.sleep)
    http.set_throttle("t", 2, 0.2)
    for i in range(5):
        http.get(f"{server.url}/{i}", source="t")
    times = [s.at for s in server.seen]
    # Any three consecutive requests span at least one window.
    assert all(times[i + 2] - times[i] >= 0.16 for i in range(len(times) - 2))  # load jitter


@pytest.mark.parametrize(
    "broken",
    [
        Reply(200, '{"values": [1, 2', content_type="application/json"),  # truncated body
        Reply(200, "<html><title>Logga in</title><body>Logga in med BankID</body></html>"),
    ],
    ids=["truncated", "login-page"],
)
def test_a_broken_200_is_not_cached(serve, make_http, broken):
    server = serve(ok)
    server.fail_next(broken)
    http = make_http()  # 24 h cache
    with pytest.raises(SourceError, match="did not return JSON"):
        http.get_json(server.url + "/a", source="t")
    # The next run asks the server again instead of replaying the broken copy for a day ...
    assert http.get_json(server.url + "/a", source="t")["n"] == 2
    # ... and the good answer is what the cache keeps.
    assert http.get_json(server.url + "/a", source="t")["n"] == 2
    assert len(server.seen) == 2 and http.stats["t"].cache_hits == 1


def test_an_answer_the_connector_cannot_read_is_not_cached(serve, make_http):
    server = serve(ok)
    server.fail_next(Reply(200, {"unexpected": "shape"}), when=lambda s: s.method == "POST")
    http = make_http()

    def needs_n(body):
        if "n" not in body:
            raise SourceError("no n")

    with pytest.raises(SourceError, match="no n"):
        http.post_json(server.url + "/d", {"q": 1}, source="t", check=needs_n)
    assert http.post_json(server.url + "/d", {"q": 1}, source="t", check=needs_n)["n"] == 2
    assert http.post_json(server.url + "/d", {"q": 1}, source="t", check=needs_n)["n"] == 2
    assert len(server.seen) == 2


def test_a_broken_entry_already_in_the_cache_is_dropped(serve, make_http, tmp_path):
    server = serve(ok)
    http = make_http()
    # As an older jamlik left it: the broken page was cached before anything read it.
    http._cache.write("GET", server.url + "/a", None, 200, "text/html", "<html>Logga in</html>")
    with pytest.raises(SourceError, match="did not return JSON"):
        http.get_json(server.url + "/a", source="t")
    assert http.get_json(server.url + "/a", source="t")["n"] == 1
