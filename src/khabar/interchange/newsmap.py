"""News maps: how a crawled news collection's articles become khabar records.

A news map is a JSON object (bundled ones in interchange/maps/, named by file stem, e.g.
`--map saudinewsnet`; or a file) with `"kind": "news"` and:

- fields: which input field is the outlet id, url, title, body, author and crawl time (retrieved);
- outlets: outlet id -> {name, name_ar, country, home_page}; an article of another outlet is skipped;
- license: the statement every record carries in source.license, `{outlet}` standing for the
  outlet's name; collection: the collection's name (source.collection);
- dates: `url_date` (outlet -> regex with year/month/day groups over the URL), `authoring_from`
  (the first crawl date that most probably is the authoring date) and the `basis` text of each
  rule ("url", "crawl-authoring", "crawl-upper-bound") for source.published_basis;
- url_normalization: per outlet ("*" for all) `drop_query` (query keys that do not change the
  article) and `drop_fragment`, for the duplicate-URL check only (the record keeps the URL);
- empty_bodies: bodies that stand for no text (a crawler's `Array`);
- repairs: which crawl artefacts textclean.repair_crawled repairs;
- boilerplate: per outlet ("*" for all) line rules (interchange.paragraphs.LineRule).
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from khabar.interchange.paragraphs import LineRule
from khabar.interchange.problems import UsageProblem
from khabar.interchange.textclean import CRAWL_REPAIRS
from khabar.interchange.typemap import MAPS_DIR

FIELDS = ("outlet", "url", "title", "body", "author", "retrieved")


@dataclass(frozen=True)
class Outlet:
    id: str
    name: str
    name_ar: str | None
    country: str | None
    home_page: str | None


@dataclass(frozen=True)
class PublicationDate:
    published: str
    basis: str
    rule: str  # "url", "crawl-authoring" or "crawl-upper-bound"


@dataclass(frozen=True)
class NewsMap:
    name: str
    collection: str
    fields: dict[str, str]
    outlets: dict[str, Outlet]
    license_template: str
    authoring_from: str
    url_dates: dict[str, re.Pattern]
    basis: dict[str, str]
    url_rules: dict[str, dict]
    repairs: tuple[str, ...]
    rules: dict[str, tuple[LineRule, ...]]
    placeholders: frozenset[str] = frozenset()  # bodies that mean "no text" (a crawler's `Array`)

    def license(self, outlet: Outlet) -> str:
        return self.license_template.format(outlet=outlet.name)

    def line_rules(self, outlet_id: str) -> tuple[LineRule, ...]:
        return self.rules.get("*", ()) + self.rules.get(outlet_id, ())

    def normalized_url(self, outlet_id: str, url: str) -> str:
        """The URL as the duplicate check compares it: scheme and host lower-case, `www.` and a
        trailing slash dropped, and the map's ignorable query keys and fragment removed."""
        rules = {**self.url_rules.get("*", {}), **self.url_rules.get(outlet_id, {})}
        url = url.strip()
        if "?" not in url and "#" not in url:  # the usual URL: no query or fragment to weigh
            scheme, _, rest = url.partition("://")
            host, slash, path = rest.partition("/")
            return f"{scheme.lower()}://{host.lower().removeprefix('www.')}{('/' + path).rstrip('/') if slash else ''}"
        parts = urlsplit(url)
        host = parts.netloc.lower().removeprefix("www.")
        dropped = set(rules.get("drop_query", ()))
        query = urlencode([(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
                           if key not in dropped])
        fragment = "" if rules.get("drop_fragment") else parts.fragment
        return urlunsplit((parts.scheme.lower(), host, parts.path.rstrip("/"), query, fragment))

    def publication_date(self, outlet: Outlet, url: str, retrieved: str) -> PublicationDate:
        """The date rule: the URL's date where the outlet puts one (and it is not after the crawl),
        else the crawl date, which is the authoring date from `authoring_from` on and only an
        upper bound before it."""
        pattern = self.url_dates.get(outlet.id)
        match = pattern.match(url) if pattern else None
        if match:
            try:
                date = datetime.date(int(match["year"]), int(match["month"]), int(match["day"])).isoformat()
            except ValueError:
                date = None
            if date and date <= retrieved:
                return PublicationDate(date, self.basis["url"].format(outlet=outlet.name, retrieved=retrieved), "url")
        rule = "crawl-authoring" if retrieved >= self.authoring_from else "crawl-upper-bound"
        return PublicationDate(retrieved, self.basis[rule].format(outlet=outlet.name, retrieved=retrieved), rule)


def _rule(spec: dict) -> LineRule:
    return LineRule(spec["name"], re.compile(spec.get("pattern", "$^")), spec.get("where", "any"),
                    re.compile(spec["after"]) if spec.get("after") else None, spec.get("equals_field"))


def load_news_map(name_or_file: str) -> NewsMap:
    """The map named (bundled) or stored in the file. Raises UsageProblem for a missing or
    malformed map."""
    path = Path(name_or_file)
    if not path.is_file():
        path = MAPS_DIR / f"{name_or_file}.json"
        if not path.is_file():
            raise UsageProblem(f"{name_or_file}: no such news map file or bundled map")
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
        if spec.get("kind") != "news":
            raise UsageProblem(f"{name_or_file}: not a news map (\"kind\": \"news\")")
        missing = [key for key in FIELDS if key not in spec["fields"]]
        if missing:
            raise UsageProblem(f"{name_or_file}: fields lacks {', '.join(missing)}")
        repairs = tuple(spec.get("repairs", ()))
        if set(repairs) - set(CRAWL_REPAIRS):
            raise UsageProblem(f"{name_or_file}: unknown repairs {sorted(set(repairs) - set(CRAWL_REPAIRS))}")
        dates = spec["dates"]
        return NewsMap(
            name=path.stem, collection=spec["collection"], fields=spec["fields"],
            outlets={key: Outlet(key, value["name"], value.get("name_ar"), value.get("country"), value.get("home_page"))
                     for key, value in spec["outlets"].items()},
            license_template=spec["license"], authoring_from=dates["authoring_from"],
            url_dates={key: re.compile(value) for key, value in dates.get("url_date", {}).items()},
            basis=dates["basis"], url_rules=spec.get("url_normalization", {}), repairs=repairs,
            rules={key: tuple(_rule(rule) for rule in value) for key, value in spec.get("boilerplate", {}).items()},
            placeholders=frozenset(spec.get("empty_bodies", ())),
        )
    except (OSError, ValueError, KeyError, TypeError, re.error) as error:
        raise UsageProblem(f"{name_or_file}: malformed news map ({type(error).__name__}: {error})") from None
