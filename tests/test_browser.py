"""The review page in a real browser: Debian's headless Chromium driven through chromedriver.

Skipped, with the reason, where Chromium, chromedriver or selenium is missing. Screenshots go to
pytest's temporary folder, never into the repository.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import review_fixtures as rf
from verifier import serve
from verifier.baseline import fingerprint
from verifier.config import Settings
from verifier.pipeline import Result
from verifier.render import RenderContext
from verifier.render.html import render

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SEED = Path("/work/shared/seed/wac-reuters.txt")


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not Path(path).exists():
            return f"{path} is absent: apt-get install -y chromium chromium-driver ({package})"
    return None


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    reason = _missing()
    if reason:
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chromium-profile")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--window-size=1100,700", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


def in_view(driver: Any, element_id: str) -> bool:
    return driver.execute_script(
        "var r = document.getElementById(arguments[0]).getBoundingClientRect();"
        "return r.top >= 0 && r.bottom <= window.innerHeight;", element_id)


def finding_button(driver: Any, rule: str) -> Any:
    return driver.find_element("css selector", f'li.finding-item[data-rule="{rule}"] button.goto')


def open_report(driver: Any, tmp_path: Path, padding: int = 40) -> None:
    art = rf.article(padding=padding)
    page = tmp_path / "report.html"
    page.write_text(render([Result(rf.report(art), art)], RenderContext()), encoding="utf-8")
    driver.get(page.as_uri())


def test_markup_inside_the_article_does_not_run(browser: Any, tmp_path: Path) -> None:
    open_report(browser, tmp_path)
    assert browser.execute_script("return window.__pwned === undefined")
    assert browser.title != "pwned"
    body = browser.find_element("css selector", ".body").text
    assert "<script>window.__pwned = 1;" in body and '<img src=x onerror="window.__pwned=2">' in body
    assert browser.find_elements("css selector", ".body script, .body img") == []


def test_clicking_a_finding_scrolls_to_its_words_and_highlights_them(browser: Any, tmp_path: Path,
                                                                    shots: Path) -> None:
    open_report(browser, tmp_path)
    assert len(browser.find_elements("css selector", ".body mark.claim")) == 5  # C2 is split in two
    assert not in_view(browser, "a0-F4")
    finding_button(browser, "attribution-vague").click()
    assert in_view(browser, "a0-F4")
    active = browser.find_elements("css selector", ".active")
    assert [e.get_attribute("id") for e in active] == ["a0-F4"]
    assert browser.find_element("id", "live").get_attribute("textContent") == "Showing F4: Analysts said"
    browser.save_screenshot(str(shots / "report-finding.png"))


def test_every_piece_of_a_split_claim_lights_up(browser: Any, tmp_path: Path) -> None:
    open_report(browser, tmp_path, padding=0)
    browser.find_element("css selector", 'details.claims summary').click()
    browser.find_element("css selector", 'details.claims button[data-target="C2"]').click()
    active = browser.find_elements("css selector", ".body .active")
    assert len(active) == 2 and {e.get_attribute("data-ref") for e in active} == {"C2"}
    assert "Showing C2: is the fastest model we have ever shipped,” said Mira Okonkwo" == \
        browser.find_element("id", "live").get_attribute("textContent")


def test_findings_are_reachable_and_operable_by_keyboard(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    open_report(browser, tmp_path)
    first = finding_button(browser, "benchmark-uncited")
    browser.execute_script("arguments[0].focus()", first)
    browser.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
    focused = browser.switch_to.active_element
    assert focused == finding_button(browser, "quote-altered")
    focused.send_keys(Keys.ENTER)
    assert in_view(browser, "a0-Q1")
    assert "active" in browser.find_element("id", "a0-Q1").get_attribute("class")
    focused.send_keys(Keys.TAB)  # the next stop is the finding's Accept button
    accept = browser.switch_to.active_element
    assert accept.text == "Accept"
    accept.send_keys(Keys.SPACE)
    assert accept.get_attribute("aria-pressed") == "true"


def test_filters_hide_tags_and_severities(browser: Any, tmp_path: Path) -> None:
    open_report(browser, tmp_path, padding=0)
    opinion = browser.find_element("id", "a0-C3")
    assert opinion.value_of_css_property("background-color") != "rgba(0, 0, 0, 0)"
    browser.find_element("css selector", 'input[data-filter="tag"][value="opinion"]').click()
    assert "off" in opinion.get_attribute("class")
    assert opinion.value_of_css_property("background-color") == "rgba(0, 0, 0, 0)"
    assert not browser.find_element("css selector", "#a0-C3 > .lbl").is_displayed()
    assert "off" not in browser.find_element("id", "a0-C1").get_attribute("class")
    browser.find_element("css selector", 'input[data-filter="severity"][value="warning"]').click()
    shown = [li.get_attribute("data-rule") for li in browser.find_elements("css selector", "li.finding-item")
             if li.is_displayed()]
    assert shown == ["quote-altered", "attribution-vague"]


def test_decisions_download_as_a_baseline_file(browser: Any, tmp_path: Path) -> None:
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    open_report(browser, tmp_path, padding=0)
    browser.execute_script("localStorage.clear()")
    browser.refresh()
    browser.find_element("css selector", 'li[data-rule="quote-altered"] button.accept').click()
    browser.find_element("css selector", 'li[data-rule="attribution-vague"] button.dismiss').click()
    assert browser.find_element("css selector", "section.article .decided").text == "2 of 4 findings decided."
    browser.find_element("css selector", "section.article button.download").click()
    target = downloads / "verifier-baseline.json"
    for _ in range(100):
        if target.exists():
            break
        time.sleep(0.05)
    data = json.loads(target.read_text(encoding="utf-8"))
    findings = {f.rule: f for f in rf.report().findings}
    assert data["version"] == 1 and data["tool"] == "verifier"
    assert [(f["rule"], f["decision"], f["fingerprint"]) for f in data["findings"]] == [
        ("quote-altered", "accepted", fingerprint(findings["quote-altered"])),
        ("attribution-vague", "dismissed", fingerprint(findings["attribution-vague"])),
    ]
    assert data["findings"][1]["text"] == "Analysts said" and data["findings"][1]["path"] == "drafts/kestrel.txt"


@pytest.fixture()
def app() -> Iterator[serve.ReviewServer]:
    srv = serve.make_server("127.0.0.1", 0, Settings(engine="rules"))
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield srv
    srv.shutdown()
    srv.server_close()


def test_the_served_app_checks_a_pasted_draft_with_an_uploaded_source(browser: Any, app: serve.ReviewServer,
                                                                       tmp_path: Path, shots: Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    source = tmp_path / "okonkwo-interview.txt"
    source.write_text(rf.SOURCE, encoding="utf-8")
    browser.get(app.url)
    draft = browser.find_element("id", "draft")
    browser.execute_script("arguments[0].value = arguments[1]", draft, rf.ARTICLE)
    browser.find_element("id", "path").send_keys("drafts/kestrel.txt")
    browser.find_element("id", "source_files").send_keys(str(source))
    browser.find_element("id", "run").click()
    WebDriverWait(browser, 30).until(lambda d: d.find_elements("css selector", ".body"))
    assert browser.execute_script("return window.__pwned === undefined")
    assert browser.find_elements("css selector", ".body mark.claim")
    labels = [e.text for e in browser.find_elements("css selector", ".body mark.quote > .lbl")]
    assert "Q1 Mira Okonkwo · altered" in labels  # the uploaded source shows the changed words
    assert browser.find_element("css selector", "section.article").get_attribute("data-path") == "drafts/kestrel.txt"
    button = browser.find_elements("css selector", "li.finding-item button.goto")[0]
    button.click()
    ref = button.get_attribute("data-target")
    assert browser.find_elements("css selector", f'.body .active[data-ref="{ref}"]')
    browser.save_screenshot(str(shots / "served-review.png"))
    browser.find_element("link text", "New check").click()
    assert browser.find_element("id", "draft").get_attribute("value") == ""


def test_the_served_app_shows_errors_on_the_page(browser: Any, app: serve.ReviewServer) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(app.url)
    browser.find_element("id", "run").click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements("css selector", '[role="alert"]'))
    alert = browser.find_element("css selector", '[role="alert"]')
    assert "paste a draft" in alert.text and "Traceback" not in browser.page_source


@pytest.mark.skipif(not SEED.exists(), reason=f"{SEED} is not on this machine")
def test_seed_article_report_shows_tags_quotes_and_findings(browser: Any, tmp_path: Path, shots: Path) -> None:
    from verifier.pipeline import check_paths

    results = check_paths([str(SEED)], Settings(engine="rules"))
    page = tmp_path / "seed.html"
    page.write_text(render(results, RenderContext()), encoding="utf-8")
    browser.set_window_size(1400, 1300)
    browser.get(page.as_uri())
    claim_labels = [e.text for e in browser.find_elements("css selector", ".body mark.claim > .lbl")]
    assert any("attributed" in t for t in claim_labels) and any("benchmark" in t for t in claim_labels)
    quote_labels = [e.text for e in browser.find_elements("css selector", ".body mark.quote > .lbl")]
    assert any("Zhang Ping’an" in t for t in quote_labels) and any("Robin Li" in t for t in quote_labels)
    assert browser.find_elements("css selector", "li.finding-item")
    browser.save_screenshot(str(shots / "seed-report.png"))
    browser.set_window_size(1100, 700)
