"""Headless Chromium for the browser tests (tests/test_browser*.py): Debian's chromium driven
through chromedriver with selenium, found on PATH, started with the same flags for every test
module, and skipped with what to install where one of the three is missing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium")  # found on PATH, wherever it is installed
CHROMEDRIVER = shutil.which("chromedriver")
DESKTOP = (1440, 900)
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1440,900")


def missing() -> str | None:
    """Why the browser tests cannot run here (what to install), or None when they can."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    for path, name, package in ((CHROMIUM, "chromium", "chromium"),
                                (CHROMEDRIVER, "chromedriver", "chromium-driver")):
        if path is None:
            return f"{name} is not on PATH: apt-get install -y chromium chromium-driver ({package})"
    return None


@contextlib.contextmanager
def chromium(profile: Path, *, logs: bool = False) -> Iterator[Any]:
    """A headless Chromium with its own profile folder, quit on leaving; `logs` keeps its network
    log (every request the page makes) and its console for `get_log`. Skips the test where
    `missing()` says why."""
    reason = missing()
    if reason:
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_AVOID_STATS", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    if logs:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def size(driver: Any, wh: tuple[int, int]) -> None:
    """The viewport as a device of that size (a phone: touch-sized, overlay scrollbars)."""
    width, height = wh
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
