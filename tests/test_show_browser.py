"""khabar show's pages opened in a real Chromium (Debian's `chromium`, driven by Playwright).

.ci/run installs Chromium when it is missing; without it (or without Playwright) these tests
are skipped with the reason, never passed.
"""

import io
import json
import shutil

import pytest

from conftest import REPO

GOLD = REPO / "corpus" / "2021" / "quds-press-international-2021-11-24-aed626f9.json"
GOLD_PAGE = "quds-press-international-2021-11-24-aed626f9.html"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH (.ci/run installs Debian's chromium)")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    from khabar.show.pages import show

    out = tmp_path_factory.mktemp("show") / "pages"
    show([REPO / "corpus"], out)
    return out


def open_page(browser, path, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: errors.append(f"request {request.url}")
            if not request.url.startswith("file://") else None)
    page.goto(path.as_uri())
    return page, errors


# For each element of an entity: its id, the ids of the entity elements around it, and its box.
ENTITY_BOXES = """() => [...document.querySelectorAll('.text [data-entity][id]')].map(element => {
  const around = [];
  for (let up = element.parentElement.closest('[data-entity]'); up; up = up.parentElement.closest('[data-entity]'))
    around.push(up.id);
  const box = element.getBoundingClientRect();
  return {id: element.id, around, box: {left: box.left, right: box.right, top: box.top, bottom: box.bottom}};
})"""


@pytest.mark.parametrize("width", [1280, 400])
def test_every_entity_is_drawn_at_its_nesting_level_inside_its_container(browser, pages, width):
    record = json.loads(GOLD.read_text(encoding="utf-8"))
    page, errors = open_page(browser, pages / GOLD_PAGE, width)
    drawn = {item["id"]: item for item in page.evaluate(ENTITY_BOXES)}
    assert sorted(drawn) == sorted(e["id"] for e in record["entities"])  # all 78, one element each
    entities = record["entities"]
    for entity in entities:
        containers = {o["id"] for o in entities if o is not entity
                      and o["start"] <= entity["start"] and entity["end"] <= o["end"]}
        item = drawn[entity["id"]]
        assert set(item["around"]) == containers, entity["id"]
        box = item["box"]
        assert box["right"] - box["left"] > 0 and box["bottom"] - box["top"] > 0  # visible
        for outer_id in item["around"]:  # nested boxes nest, the outer one larger below
            outer = drawn[outer_id]["box"]
            assert outer["left"] <= box["left"] + 0.5 and box["right"] <= outer["right"] + 0.5, (entity["id"], outer_id)
            assert outer["top"] <= box["top"] + 0.5 and box["bottom"] < outer["bottom"], (entity["id"], outer_id)
    assert errors == []
    # readable at this width: nothing sticks out sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.close()


def test_text_runs_right_to_left(browser, pages):
    page, errors = open_page(browser, pages / GOLD_PAGE, 1280)
    assert page.evaluate("getComputedStyle(document.querySelector('.text')).direction") == "rtl"
    assert page.evaluate("document.querySelector('.text').getAttribute('lang')") == "ar"
    # T1 (المغرب) opens the headline, T2 follows it: to its left
    t1, t2 = (page.evaluate(f"document.getElementById('{i}').getBoundingClientRect().right") for i in ("T1", "T2"))
    assert t1 > t2
    assert errors == []


def test_focusing_a_trigger_highlights_its_arguments(browser, pages):
    record = json.loads(GOLD.read_text(encoding="utf-8"))
    page, errors = open_page(browser, pages / GOLD_PAGE, 1280)
    highlighted = "[...document.querySelectorAll('.arg')].map(e => e.dataset.entity + ':' + e.dataset.role)"
    for event in record["events"]:
        page.focus(f"#{event['id']}")
        roles = {}
        for argument in event["arguments"]:  # an entity may take two roles (E6: T14 recipient and location)
            roles[argument["entity"]] = roles.get(argument["entity"], []) + [argument["role"]]
        assert sorted(page.evaluate(highlighted)) == sorted(f"{e}:{', '.join(r)}" for e, r in roles.items())
        page.evaluate("document.activeElement.blur()")
        assert page.evaluate(highlighted) == []
    page.hover("#E1")
    assert sorted(page.evaluate(highlighted)) == ["T1:actor", "T2:actor"]
    assert errors == []


def test_screenshot_is_not_blank(browser, pages):
    from PIL import Image

    page, errors = open_page(browser, pages / GOLD_PAGE, 1280)
    image = Image.open(io.BytesIO(page.locator(".text").screenshot())).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    white = next((count for count, colour in colours if colour == (255, 255, 255)), 0)
    assert len(colours) > 50  # text, boxes and labels in several colours
    assert white < 0.9 * image.width * image.height
    assert errors == []


def test_diff_page_renders_without_errors(browser, tmp_path, run_cli):
    code, out, _ = run_cli("diff", REPO / "releases" / "v0.1.0", GOLD, "--format", "html")
    assert code == 0
    (tmp_path / "diff.html").write_text(out, encoding="utf-8")
    page, errors = open_page(browser, tmp_path / "diff.html", 1280)
    assert page.evaluate("document.title") == "khabar diff"
    assert errors == []


def test_render_example_writes_a_stable_picture_of_one_paragraph(tmp_path):
    import subprocess
    import sys

    from PIL import Image

    out = tmp_path / "example.png"
    command = [sys.executable, str(REPO / "scripts" / "render_example.py"), "--out", str(out)]
    first = subprocess.run(command, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith(f"wrote {out} (")
    image = Image.open(out)
    assert image.format == "PNG" and image.width == 2 * 960  # the page's text column at device scale 2
    colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert len(colours) > 50
    again = subprocess.run(command, capture_output=True, text=True)
    assert (again.returncode, again.stdout) == (0, f"identical: {out} already holds this picture\n")
    out.write_bytes(b"other")
    differs = subprocess.run(command, capture_output=True, text=True)
    assert differs.returncode == 1 and out.read_bytes() == b"other"  # never replaced
