#!/usr/bin/env python3
"""Screenshot one rendered paragraph of one article of the corpus, by default its first article (README's picture).

    python scripts/render_example.py [--corpus corpus] [--record ID] [--paragraph 2] [--focus E6]
                                     [--out docs/images/show-example.png]

Renders the article with `khabar show` into a temporary folder, opens the page in headless
Chromium (Debian's `chromium`, driven by Playwright), focuses one event trigger so its arguments
show their roles, and saves the paragraph as PNG. The same Chromium and fonts give the same
bytes: an existing file is left alone when identical, and never replaced when different
(delete it first to regenerate it).
Exit codes: 0 written or identical, 1 differs from the existing file, 2 usage or I/O error.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from khabar.record_io import write_new_file  # noqa: E402
from khabar.show.pages import page_names, show  # noqa: E402
from khabar.show.records import load  # noqa: E402

WIDTH = 1000  # CSS pixels; the paragraph wraps as on a laptop screen
# The README's picture shows the corpus's first article (released in v0.1.0), named by id: the corpus holds more
FIRST_ARTICLE = "quds-press-international-2021-11-24-aed626f9"


def screenshot(page_file: Path, paragraph: int, focus: str | None, chromium: str) -> bytes:
    """PNG bytes of paragraph number `paragraph` (0 = headline) of the page, trigger `focus` focused."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": WIDTH, "height": 800}, device_scale_factor=2)
            page.goto(page_file.as_uri())
            if focus:
                page.focus(f"#{focus}")
            return page.locator(".text > h1, .text > p").nth(paragraph).screenshot(animations="disabled", caret="hide")
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--record", default=FIRST_ARTICLE, help="id of the article to draw")
    parser.add_argument("--paragraph", type=int, default=2, help="0 = headline, 1 = first body paragraph, ...")
    parser.add_argument("--focus", default="E6", help="event id whose trigger is focused ('' for none)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images" / "show-example.png")
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("render_example: no chromium on PATH (apt-get install -y chromium)", file=sys.stderr)
        return 2
    loaded = load([args.corpus], validate=False)
    names = [name for entry, name in zip(loaded, page_names(loaded)) if name and entry.record["id"] == args.record]
    if not names:
        print(f"render_example: no drawable record {args.record} under {args.corpus}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as temporary:
        show([args.corpus], Path(temporary))
        png = screenshot(Path(temporary) / names[0], args.paragraph, args.focus or None, chromium)
    if args.out.exists():
        if args.out.read_bytes() == png:
            print(f"identical: {args.out} already holds this picture")
            return 0
        print(f"render_example: {args.out} exists and differs (another Chromium or font?); delete it to "
              f"regenerate it", file=sys.stderr)
        return 1
    write_new_file(args.out, png)
    print(f"wrote {args.out} ({len(png)} bytes): paragraph {args.paragraph} of {args.record}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
