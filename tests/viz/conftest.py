"""Fixtures for driving the explorer page in Debian's Chromium through Playwright.

One browser per test session; every test gets a fresh context whose network is closed: any
request other than the page's own file is aborted and recorded, and so are failed requests,
console errors, page errors and dialogs. Each test leaves a screenshot in its ``tmp_path``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "seeds"

#: Three short articles written for these tests (invented people): a mother of two, her
#: husband, a screen role; the third article gives her an age that does not fit the others.
INVENTED_ARTICLES = {
    "000_marla": " date 2022-03-14 Coronation Street star Marla Quinby has opened up about family life.\n\n"
    "Marla Quinby, 41, is mum to Finn, 9, and Posy, 6, with her husband Tobias Quinby.\n\n"
    "She said her son Finn already wants to act.\n",
    "001_marla": " date 2024-06-02 Marla Quinby has shared a photo with her daughter, Posy.\n\n"
    "The actress, 43, plays Gina Farrow in the ITV soap Coronation Street.\n",
    "002_marla": " date 2023-01-20 Marla Quinby, 35, was spotted at the soap awards.\n",
}

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
]
VIEWPORT = {"width": 1400, "height": 900}


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """A headless Chromium for the whole session (skips when Playwright or Chromium is missing;
    ``.ci/run`` installs both)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is missing: the browser tests need Chromium (apt-get install "
                    "chromium, or run .ci/run; KG_CHROMIUM=PATH for another binary)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _graph_of(nlp: Any, folder: Path) -> Any:
    from kg.extract import extract_article
    from kg.graph import build_graph
    from kg.ingest import read_articles
    from kg.records import Article
    from kg.resolve import resolve

    articles = [a for a in read_articles([folder]) if isinstance(a, Article)]
    return build_graph(resolve([extract_article(nlp, article) for article in articles]))


@pytest.fixture(scope="session")
def invented_graph(nlp: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The graph kg builds from :data:`INVENTED_ARTICLES`."""
    folder = tmp_path_factory.mktemp("invented-articles")
    for name, text in INVENTED_ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return _graph_of(nlp, folder)


@pytest.fixture(scope="session")
def seeds_graph(nlp: Any) -> Any:
    """The graph kg builds from ../shared/corpus/seeds (skipped where it is absent)."""
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is absent")
    return _graph_of(nlp, SEEDS)


@dataclass
class Explorer:
    """An explorer page open in Chromium, with everything it tried to do on the network."""

    page: Any
    url: str
    shots: Path
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def evaluate(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def screenshot(self, name: str = "screenshot") -> Path:
        path = self.shots / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path

    def assert_quiet(self) -> None:
        """No request left the page, none failed, nothing was logged as an error, no dialog."""
        assert self.blocked == [], f"requests attempted: {self.blocked}"
        assert self.failed == [], f"requests failed: {self.failed}"
        assert self.console_errors == [], self.console_errors
        assert self.page_errors == [], self.page_errors
        assert self.dialogs == [], self.dialogs
        resources = self.evaluate("() => performance.getEntriesByType('resource').map(r => r.name)")
        assert resources == [], f"resources loaded: {resources}"

    def centre_on(self, position_script: str, arg: Any, scale: float) -> None:
        """Move the view to the point ``position_script`` computes from ``arg``, at ``scale``, and
        wait until it stays there (a focus animation still running would move it away)."""
        self.page.wait_for_function(
            """([arg, scale]) => { const n = window.kgExplorer.network, p = (%s)(arg), v = n.getViewPosition();
                if (Math.hypot(v.x - p.x, v.y - p.y) < 0.5 && Math.abs(n.getScale() - scale) < 1e-6) { return true; }
                n.moveTo({ position: p, scale: scale, animation: false });
                return false; }""" % position_script,
            arg=[arg, scale],
            polling=100,
            timeout=10_000,
        )

    def click_node(self, node_id: str) -> None:
        """Centre the view on a node, zoomed in, and click it with the mouse."""
        self.centre_on("id => window.kgExplorer.network.getPosition(id)", node_id, 2.5)
        x, y = self._canvas_centre()
        point = [x - self._left(), y - self._top()]
        found = self.evaluate("([x, y]) => window.kgExplorer.network.getNodeAt({ x: x, y: y }) || null", point)
        assert found == node_id, f"{node_id} is not under the mouse ({found} is)"
        self.page.mouse.click(x, y)

    def click_edge(self, edge_id: str) -> None:
        """Centre the view on the middle of an edge, zoomed in, and click it with the mouse."""
        self.centre_on(
            """id => { const n = window.kgExplorer.network, e = window.kgExplorer.edges.get(id);
                       const a = n.getPosition(e.from), b = n.getPosition(e.to);
                       return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }; }""",
            edge_id,
            3,
        )
        x, y = self._canvas_centre()
        # A curved edge passes beside the midpoint of its ends: walk across it to find it.
        for offset in range(0, 60, 2):
            for sign in (1, -1):
                px, py = x + sign * offset, y
                hit = self.evaluate(
                    """([x, y]) => { const n = window.kgExplorer.network;
                                     return n.getNodeAt({x, y}) ? null : (n.getEdgeAt({x, y}) || null); }""",
                    [px - self._left(), py - self._top()],
                )
                if hit == edge_id:
                    self.page.mouse.click(px, py)
                    return
        raise AssertionError(f"could not find edge {edge_id} under the mouse")

    def _box(self) -> dict[str, float]:
        return self.page.locator("#kg-network").bounding_box()

    def _left(self) -> float:
        return self._box()["x"]

    def _top(self) -> float:
        return self._box()["y"]

    def _canvas_centre(self) -> tuple[float, float]:
        box = self._box()
        return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


@pytest.fixture
def open_explorer(chromium: Any, tmp_path: Path) -> Iterator[Any]:
    """``open_explorer(path, bypass_csp=False) -> Explorer``: load a page from disk in a fresh,
    offline context and wait until the network is drawn and the page idle. A screenshot ``final.png`` is saved in
    ``tmp_path`` when the test ends, pass or fail."""
    contexts: list[Any] = []
    opened: list[Explorer] = []

    def open_page(path: Path, *, bypass_csp: bool = False) -> Explorer:
        context = chromium.new_context(viewport=VIEWPORT, service_workers="block", bypass_csp=bypass_csp)
        contexts.append(context)
        page = context.new_page()
        url = Path(path).resolve().as_uri()
        explorer = Explorer(page=page, url=url, shots=tmp_path)
        opened.append(explorer)

        def route(request_route: Any) -> None:
            if request_route.request.url == url:
                request_route.continue_()
            else:
                explorer.blocked.append(request_route.request.url)
                request_route.abort()

        context.route("**/*", route)
        page.on("requestfailed", lambda request: explorer.failed.append(f"{request.url}: {request.failure}"))
        page.on("console", lambda msg: explorer.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda error: explorer.page_errors.append(str(error)))

        def dialog(d: Any) -> None:
            explorer.dialogs.append(f"{d.type}: {d.message}")
            d.dismiss()

        page.on("dialog", dialog)
        page.goto(url)
        page.wait_for_selector("html[data-kg-ready='true']", state="attached", timeout=60_000)
        return explorer

    yield open_page
    for explorer in opened:
        # A screenshot must never hide the test's own outcome.
        with contextlib.suppress(Exception):
            explorer.screenshot("final")
    for context in contexts:
        context.close()
