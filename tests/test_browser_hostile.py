"""Hostile drafts in a real browser: the page of `verifier check --format html` and the page
`verifier serve` answers, for drafts, sources and names that hold script, event handlers,
`javascript:` links, template syntax, bidi controls and markup that would load something from
another host, opened in Debian's headless Chromium (selenium, chromedriver) at desktop and phone
size (375x812).

Each page must run nothing of the draft's: no alert is open, `document.title` is the page's own,
the flags the payloads would set are unset, no element the payloads would make is in the text;
it must request nothing outside itself (Chromium's network log: only the page, its own server and
`data:`), and the console has no CSP violation or script error (a blocked payload would still
show there). Skipped where Chromium, chromedriver or selenium is missing.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.chromium import DESKTOP, size
from tests.chromium import chromium as start_chromium
from tests.cli_runner import verifier
from verifier.web import serve

pytestmark = pytest.mark.browser

PHONE = (375, 812)
TITLE = "<script>document.title='pwned'</script> {{ 7*7 }}"  # the hostile draft's own title
ELSEWHERE = "198.51.100.7"  # TEST-NET-2: a request to it is a request that should never be made

# Each sets a flag, the title or opens an alert if it ever runs; some would fetch from ELSEWHERE.
PAYLOADS = [
    "<script>document.title='pwned';window.__pwned=1;alert(1)</script>",
    "</script><script>window.__pwned=2;alert(2)</script>",
    "\"><img src=x onerror=\"window.__pwned=3;document.title='pwned';alert(3)\">",
    "'><svg onload=\"window.__pwned=4;alert(4)\">",
    "<a href=\"javascript:window.__pwned=5;alert(5)\">click me</a>",
    "<a href=\"JaVaScRiPt:alert(6)\">x</a>",
    f"<img src=\"http://{ELSEWHERE}/beacon.png\">",
    f"<iframe src=\"http://{ELSEWHERE}/frame\"></iframe>",
    f"<link rel=stylesheet href=\"http://{ELSEWHERE}/x.css\">",
    f"<style>@import url(http://{ELSEWHERE}/y.css); body {{ background: url(http://{ELSEWHERE}/z.png) }}</style>",
    f"<meta http-equiv=\"refresh\" content=\"0;url=http://{ELSEWHERE}/\">",
    f"<base href=\"http://{ELSEWHERE}/\">",
    "<body onload=\"window.__pwned=7\">",
    "{{ 7*7 }} {% raw %} ${7*7}",
    "\u202e\u2066evil\u2069 \u200f",
    "</textarea><script>window.__pwned=8</script>",
    "<![CDATA[<script>window.__pwned=9</script>]]>",
    "<!-- <script>window.__pwned=10</script> -->",
]
FLAGS = "return [window.__pwned, document.querySelectorAll('article.text script, article.text img, " \
        "article.text svg, article.text iframe, article.text link, article.text style, article.text base, " \
        "article.text meta, [onerror], [onload], a[href^=\"javascript\" i]').length]"


def hostile_draft() -> str:
    """A Markdown draft with each payload as words, inside a quote, as a speaker's name, and in
    the front matter's title."""
    lines = ["---", f"title: \"{TITLE}\"", "---", "",
             "# Tern-3 ships <img src=x onerror=alert(11)>", ""]
    for i, payload in enumerate(PAYLOADS):
        lines.append(f"Tern-3 outperforms GPT-4o on benchmark {i} {payload}, the company said.")
        lines.append("")
        lines.append(f"“{payload} is what we want,” said Ana {payload} Ruiz.")
        lines.append("")
    return "\n".join(lines)


def hostile_source() -> str:
    return "\n".join(f"ANA RUIZ: {p} is what we wanted." for p in PAYLOADS) + "\n"


def hostile_html_draft() -> str:
    body = "".join(f"<p>“{p} is what we want,” said Ana Ruiz. {p}</p>" for p in PAYLOADS)
    return (f"<!doctype html><html><head><title>x</title><script>window.__pwned=20</script>"
            f"<base href=\"http://{ELSEWHERE}/\"></head><body onload=\"window.__pwned=21\">"
            f"<h1>Tern-3</h1><p>{{{{ 7*7 }}}}</p>{body}<p><a href=\"http://{ELSEWHERE}/ok\">a real link</a></p></body></html>")


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Headless Chromium with its network log on (every request the page makes)."""
    with start_chromium(tmp_path_factory.mktemp("profile"), logs=True) as driver:
        yield driver


# the browser's own pages and their resources (a page cannot load these schemes)
_BROWSER_OWN = ("chrome://", "chrome-untrusted://", "chrome-extension://", "devtools://")


def requests(driver: Any) -> list[str]:
    """The URLs the page asked for since the log was last read (not those of the browser's own
    pages, `chrome://new-tab-page` and the like, which Chromium may still be loading at start)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] != "Network.requestWillBeSent":
            continue
        url, document = message["params"]["request"]["url"], message["params"].get("documentURL", "")
        if not url.startswith(_BROWSER_OWN) and not document.startswith(_BROWSER_OWN):
            urls.append(url)
    return urls


def alert_text(driver: Any) -> str | None:
    """The text of the alert open on the page, or None."""
    from selenium.common.exceptions import NoAlertPresentException

    try:
        return str(driver.switch_to.alert.text)
    except NoAlertPresentException:
        return None


def own_title(page: str) -> str:
    found = re.search(r"<title>(.*?)</title>", page, re.S)
    assert found is not None
    return html.unescape(found[1])


def assert_nothing_ran(driver: Any, title: str, allowed: tuple[str, ...]) -> None:
    assert alert_text(driver) is None, "a payload opened an alert"
    assert driver.title == title
    flag, elements = driver.execute_script(FLAGS)
    assert flag is None, f"a payload ran: window.__pwned = {flag}"
    assert elements == 0, "a payload became an element or handler in the page"
    text = driver.find_element("css selector", "article.text").text
    assert "{{ 7" in text and "49" not in text  # no template ran (Markdown takes `*7 }} ... ${7*` for emphasis)
    elsewhere = [url for url in requests(driver) if not url.startswith(allowed)]
    assert elsewhere == [], f"the page asked for {elsewhere}"
    problems = [e["message"] for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert problems == [], problems


def check_page(driver: Any, url: str, title: str, allowed: tuple[str, ...]) -> None:
    for wh in (DESKTOP, PHONE):
        size(driver, wh)
        driver.get_log("performance")
        driver.get_log("browser")
        driver.get(url)
        assert_nothing_ran(driver, title, allowed)
        # opening every finding's card builds it from the page's data: nothing may run then either
        for item in driver.find_elements("css selector", "li.finding-item")[:12]:
            driver.execute_script("arguments[0].click()", item)
        assert_nothing_ran(driver, title, allowed)
        scroll, client = driver.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll == client, f"at {wh}: {scroll} px of page in a {client} px viewport"
    size(driver, DESKTOP)


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_the_check_command_page_of_a_hostile_draft_runs_nothing(chromium: Any, tmp_path: Path, fmt: str) -> None:
    name = "<img src=x onerror=alert(12)>{{7*7}}"
    draft = tmp_path / (f"{name}.md" if fmt == "markdown" else f"{name}.html")
    draft.write_text(hostile_draft() if fmt == "markdown" else hostile_html_draft(), encoding="utf-8")
    source = tmp_path / "\"><img src=x onerror=alert(13)>.txt"
    source.write_text(hostile_source(), encoding="utf-8")
    page = tmp_path / "page.html"
    ran = verifier("check", str(draft), "--source", str(source), "--format", "html", "--output", str(page),
                   "--engine", "rules")
    assert ran.returncode in (0, 1), ran.stderr
    text = page.read_text(encoding="utf-8")
    assert "Ana Ruiz" in text and "window.__pwned" in text  # the draft and its payloads are on the page
    check_page(chromium, page.as_uri(), own_title(text), ("file://", "data:"))


def test_the_served_page_of_a_hostile_draft_runs_nothing(chromium: Any, review_server: serve.ReviewServer,
                                                         tmp_path: Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    source = tmp_path / "<svg onload=alert(14)>.txt"
    source.write_text(hostile_source(), encoding="utf-8")
    chromium.get(review_server.url)
    chromium.execute_script("arguments[0].value = arguments[1]", chromium.find_element("id", "draft"),
                            hostile_draft())
    chromium.find_element("id", "path").send_keys("<script>alert(15)</script>.md")
    chromium.find_element("id", "source_files").send_keys(str(source))
    chromium.find_element("id", "run").click()
    WebDriverWait(chromium, 60).until(lambda d: d.find_elements("css selector", "article.text"))
    url = chromium.current_url
    assert url.startswith(review_server.url + "job/")
    page = chromium.page_source
    assert chromium.title == f"verifier review: {TITLE}"  # the draft's title as text, not set by it
    assert "window.__pwned" in page
    check_page(chromium, url, f"verifier review: {TITLE}", (review_server.url, "data:"))


def test_the_served_form_with_an_error_runs_nothing(chromium: Any, review_server: serve.ReviewServer) -> None:
    """An upload that is not text: the form comes back with the pasted source and path, which hold
    the payloads, inside its fields."""
    from selenium.webdriver.support.ui import WebDriverWait

    chromium.get(review_server.url)
    chromium.execute_script("arguments[0].value = arguments[1]", chromium.find_element("id", "draft"), " ")
    chromium.execute_script("arguments[0].value = arguments[1]", chromium.find_element("id", "source_text"),
                            "\n".join(PAYLOADS))
    chromium.find_element("id", "path").send_keys("\"><script>alert(16)</script>")
    chromium.get_log("performance")
    chromium.find_element("id", "run").click()
    WebDriverWait(chromium, 30).until(lambda d: d.find_elements("css selector", "[role='alert']#error"))
    assert alert_text(chromium) is None
    assert chromium.title == "Error: verifier: check a draft"
    assert chromium.execute_script("return window.__pwned") is None
    assert chromium.find_element("id", "source_text").get_attribute("value").startswith(PAYLOADS[0])
    assert len(chromium.find_elements("css selector", "script")) == 1  # the form's own
    elsewhere = [u for u in requests(chromium) if not u.startswith((review_server.url, "data:"))]
    assert elsewhere == []


@pytest.mark.parametrize(("planted", "csp"), [
    ("<img src=x onerror=\"window.__pwned=1\">", True),  # blocked by the CSP: the console says so
    ("<script>window.__pwned=2</script>", False),
    ("<script>document.title='pwned'</script>", False),
    ("<script>alert(3)</script>", False),
    (f"<img src=\"http://{ELSEWHERE}/p.png\">", False),
])
def test_the_checks_fail_on_a_payload_planted_in_the_page(chromium: Any, tmp_path: Path, planted: str,
                                                         csp: bool) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text(hostile_draft(), encoding="utf-8")
    page = tmp_path / "page.html"
    assert verifier("check", str(draft), "--format", "html", "--output", str(page), "--engine", "rules").returncode in (0, 1)
    text = page.read_text(encoding="utf-8")
    title = own_title(text)
    if not csp:
        text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
    at = text.index(">", text.index('<article class="text'))  # inside the draft's text
    page.write_text(text[:at + 1] + planted + text[at + 1:], encoding="utf-8")
    from selenium.common.exceptions import UnexpectedAlertPresentException

    # the checks fail: by an assertion, or by the planted alert opening while they read the page
    with pytest.raises((AssertionError, UnexpectedAlertPresentException)):
        try:
            check_page(chromium, page.as_uri(), title, ("file://", "data:"))
        finally:
            if alert_text(chromium) is not None:
                chromium.switch_to.alert.dismiss()
            size(chromium, DESKTOP)
