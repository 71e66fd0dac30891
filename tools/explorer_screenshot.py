"""Regenerate docs/explorer.png: the explorer page on the example articles, in headless Chromium.

Builds ``examples/`` with kg (offline, as ``kg build examples`` does), opens the page it writes
from disk in Debian's Chromium (``/usr/bin/chromium``, driven by Playwright, every network
request blocked), finds an entity through the search box, fits the whole network in view and
saves a screenshot.

    python tools/explorer_screenshot.py                          # -> docs/explorer.png
    python tools/explorer_screenshot.py --entity "Nadia Rehman" -o /tmp/nadia.png
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--no-default-browser-check", "--hide-scrollbars"]


def screenshot(page_path: Path, output: Path, entity: str, *, width: int = 1400, height: int = 860) -> None:
    """Open ``page_path``, type ``entity`` into the search box, pick the first suggestion, fit
    the network and save a PNG to ``output``; raise if the page tried the network or logged an
    error."""
    from playwright.sync_api import sync_playwright

    url = page_path.resolve().as_uri()
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": width, "height": height})

            def route(request_route: Any) -> None:
                if request_route.request.url == url:
                    request_route.continue_()
                else:
                    problems.append(f"request {request_route.request.url}")
                    request_route.abort()

            context.route("**/*", route)
            page = context.new_page()
            page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.goto(url)
            page.wait_for_selector("html[data-kg-ready='true']", state="attached", timeout=60_000)
            page.click("#kg-search")
            page.keyboard.type(entity, delay=20)
            page.keyboard.press("Enter")
            page.wait_for_timeout(500)
            page.evaluate("() => window.kgExplorer.network.fit({ animation: false })")
            page.wait_for_timeout(300)
            page.locator("#kg-search").blur()
            output.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(output))
        finally:
            browser.close()
    if problems:
        raise RuntimeError("; ".join(problems))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "explorer.png")
    parser.add_argument("--entity", default="Hayley Brannigan", help="the entity to select")
    parser.add_argument("--input", default=str(ROOT / "examples"), help="articles to build")
    args = parser.parse_args(argv)

    import kg

    with tempfile.TemporaryDirectory() as folder:
        kg.build([args.input], folder, validate=False)
        screenshot(Path(folder) / "graph.html", args.output, args.entity)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
