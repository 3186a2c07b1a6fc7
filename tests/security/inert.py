"""Is a response inert? An HTML parser (the standard library's) looks at what a browser would run.

Problems found in HTML: a `<script>` that is not one of the site's own (a file under /static/, or a JSON data block
that parses), an `on…=` attribute, a javascript:/vbscript:/data: address in any attribute that takes one, elements
the site never uses (iframe, object, embed, base, a meta refresh, a style element), CSS that runs code, and a
template expression that was evaluated. Feeds are parsed as XML and their HTML parts checked the same way; JSON,
GeoJSON and JSON-LD must parse.
"""

import json
import re
from html.parser import HTMLParser
from xml.etree import ElementTree

from icalendar import Calendar

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "lowsrc",
    "dynsrc",
    "ping",
    "cite",
    "codebase",
    "manifest",
    "srcset",
}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
NEVER_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "style"}
JSON_TYPES = {"application/json", "application/ld+json"}
# The site's own scripts: its static files, and the admin's catalogue of translations (Django's jsi18n view).
OWN_SCRIPTS = re.compile(r"^/(static/|(en/)?admin/jsi18n/$)")
# What a template expression of the corpus would have become if a template engine had evaluated it.
EVALUATED = ("49wspltpl", "49 wspltpl")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f\u200b-\u200f\u2028\u2029\ufeff]")


def _address(value):
    return _INVISIBLE.sub("", value or "").lower()


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.script = None  # (attrs, [text]) of the script element being read

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag}> has an event handler {name}={value!r}")
            if name in URL_ATTRIBUTES and _address(value).startswith(BAD_SCHEMES):
                self.problems.append(f"<{tag} {name}={value!r}>: a script or data address")
            if name == "style" and re.search(r"expression\(|javascript:|wsplxss", _address(value)):
                self.problems.append(f"<{tag} style={value!r}>: CSS that runs code")
        if tag in NEVER_ELEMENTS:
            self.problems.append(f"<{tag}> element on the page: {attributes}")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.problems.append(f"<meta http-equiv=refresh> on the page: {attributes}")
        if tag == "script":
            self.script = (attributes, [])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data):
        if self.script is not None:
            self.script[1].append(data)

    def handle_endtag(self, tag):
        if tag != "script" or self.script is None:
            return
        attributes, parts = self.script
        self.script = None
        text = "".join(parts)
        src = attributes.get("src")
        kind = (attributes.get("type") or "").lower()
        if src is not None:
            if not OWN_SCRIPTS.match(src) or text.strip():
                self.problems.append(f"<script src={src!r}> is not one of the site's files")
        elif kind in JSON_TYPES:
            self.problems.extend(json_problems(text, f"<script type={kind}>"))
            if re.search(r"<!--|<script|</script", text, re.IGNORECASE):
                self.problems.append(f"<script type={kind}> holds raw markup that can end it: {text[:200]!r}")
        else:
            self.problems.append(f"inline script: {text[:200]!r}")


def html_problems(text):
    inspector = _Inspector()
    inspector.feed(text)
    inspector.close()
    problems = inspector.problems
    problems.extend(f"a template expression was evaluated: {word}" for word in EVALUATED if word in text)
    return problems


def json_problems(text, where="JSON"):
    try:
        json.loads(text)
    except ValueError as error:
        return [f"{where} does not parse: {error}"]
    return []


def feed_problems(content):
    """An RSS or Atom feed: XML that parses, and every HTML part of it inert."""
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError as error:
        return [f"the feed is not XML: {error}"]
    problems = []
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1]
        if name in ("description", "summary", "content") and element.text:
            problems.extend(f"feed {name}: {problem}" for problem in html_problems(element.text))
        if name == "link" and _address(element.get("href") or element.text).startswith(BAD_SCHEMES):
            problems.append(f"feed link to a script address: {element.get('href') or element.text!r}")
    return problems


def calendar_problems(content):
    """An iCalendar file: it parses, and no line of it came from a text that was split into a new property."""
    try:
        calendar = Calendar.from_ical(content)
    except ValueError as error:
        return [f"the iCalendar file does not parse: {error}"]
    return [
        f"an injected iCalendar property in {component.name}"
        for component in calendar.walk()
        if any(key.upper().startswith("X-WSPL") for key in component)
    ]


def response_problems(response):
    """What is wrong with one response of the site (an empty list when it is inert)."""
    if response.status_code >= 500:
        return [f"server error {response.status_code}"]
    if getattr(response, "streaming", False) or not response.content:
        return []
    kind = response.get("Content-Type", "").split(";")[0].strip().lower()
    content = response.content
    if kind == "text/html":
        return html_problems(content.decode("utf-8", errors="replace"))
    if kind in ("application/json", "application/geo+json", "application/ld+json"):
        return json_problems(content.decode("utf-8"), kind)
    if kind in ("application/rss+xml", "application/atom+xml"):
        return feed_problems(content)
    if kind == "text/calendar":
        return calendar_problems(content)
    if kind in ("application/xml", "text/xml"):
        try:
            ElementTree.fromstring(content)
        except ElementTree.ParseError as error:
            return [f"XML does not parse: {error}"]
    return []
