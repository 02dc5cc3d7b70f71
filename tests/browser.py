"""Render a local HTML page in headless Chromium (Debian's ``chromium``, driven by Playwright) and
report what a reader would meet: script errors, requests that leave the page, and element sizes."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def skip_reason() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright fehlt (pip install -e '.[dev]')"
    if CHROMIUM is None:
        return "chromium fehlt (Debian-Paket chromium; make installiert es, wo apt-get laufen darf)"
    return None


@dataclass
class Rendered:
    errors: list[str] = field(default_factory=list)  # uncaught exceptions and console.error messages
    requests: list[str] = field(default_factory=list)  # every URL the page tried to load besides itself
    sizes: dict[str, list[tuple[float, float]]] = field(default_factory=dict)  # selector -> (w, h) per match
    text: str = ""  # what a reader sees: the body's innerText

    def invisible(self) -> list[str]:
        """Selectors that matched nothing, or an element without area."""
        return [s for s, boxes in self.sizes.items() if not boxes or any(w <= 0 or h <= 0 for w, h in boxes)]


def render(page: Path, selectors: list[str], screenshot: Path | None = None) -> Rendered:
    from playwright.sync_api import sync_playwright

    url = page.resolve().as_uri()
    seen = Rendered()
    with sync_playwright() as driver:
        # --no-sandbox: Chromium refuses to start its sandbox as root (CI containers)
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            tab.on("pageerror", lambda exc: seen.errors.append(f"pageerror: {exc}"))
            tab.on("console", lambda msg: seen.errors.append(f"console.error: {msg.text}") if msg.type == "error" else None)

            def only_the_page(route):
                if route.request.url == url or route.request.url.startswith("data:"):
                    route.continue_()
                else:  # a self-contained page loads nothing else: record it and refuse
                    seen.requests.append(route.request.url)
                    route.abort()
            tab.route("**/*", only_the_page)
            tab.goto(url, wait_until="load")
            tab.wait_for_load_state("networkidle")
            for selector in selectors:
                boxes = [element.bounding_box() for element in tab.locator(selector).all()]
                seen.sizes[selector] = [(b["width"], b["height"]) if b else (0.0, 0.0) for b in boxes]
            seen.text = tab.inner_text("body")
            if screenshot is not None:
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                tab.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    return seen
