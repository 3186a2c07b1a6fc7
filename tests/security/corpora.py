"""The hostile inputs the security suite sends everywhere: XSS vectors, spreadsheet formulas, bad query parameters
and attack images (made here, no binary files).

Every XSS vector carries the marker `wsplxss` (template ones `wspltpl`), so an executable trace of it on a page can
be told from the site's own markup. Each vector has a class; a sampled run still gives every field every class.
"""

import io
import struct
import zlib
from dataclasses import dataclass

from PIL import Image


@dataclass(frozen=True)
class Vector:
    kind: str
    text: str


def _v(kind, *texts):
    return [Vector(kind, text) for text in texts]


ALERT = "alert('wsplxss')"

XSS = [
    *_v(
        "script",
        f"<script>{ALERT}</script>",
        "<SCRIPT SRC=//evil.example.org/wsplxss.js></SCRIPT>",
        f'"><script>{ALERT}</script>',
    ),
    *_v(
        "handler",
        f"<img src=x onerror={ALERT}>",
        f"<body onload={ALERT}>",
        f"<details open ontoggle={ALERT}>wsplxss</details>",
        f'<a href="#" onclick="{ALERT}">klik</a>',
    ),
    *_v(
        "breakout",
        f'" onmouseover="{ALERT}',
        f"' onfocus='{ALERT}' autofocus x='",
        f'"><img src=x onerror={ALERT}>',
        f"` onmouseover={ALERT} x=`",
    ),
    *_v(
        "url",
        f"javascript:{ALERT}",
        f"JaVaScRiPt:{ALERT}",
        f"  javascript:{ALERT}",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgnd3NwbHhzcycpPC9zY3JpcHQ+",
        'vbscript:msgbox("wsplxss")',
        f"java&#x09;script:{ALERT}",
    ),
    *_v(
        "markdown",
        f"[klik](javascript:{ALERT})",
        f"![obraz](javascript:{ALERT})",
        f"Tekst [klik][r]\n\n[r]: javascript:{ALERT}",
        f"<javascript:{ALERT}>",
        f"[klik](data:text/html,<script>{ALERT}</script>)",
        "[klik](vbscript:msgbox('wsplxss'))",
        f'[a](https://example.org "tytuł" onmouseover="{ALERT}")',
        f"[klik](&#x6A;avascript:{ALERT})",
    ),
    *_v(
        "svg",
        f"<svg onload={ALERT}>",
        "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'>"
        f'<script>{ALERT}</script></svg>#x"/></svg>',
        f"<svg><foreignObject><iframe src=javascript:{ALERT}></iframe></foreignObject></svg>",
    ),
    *_v(
        "obfuscated",
        f"&#x6A;avascript:{ALERT}",
        "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert('wsplxss')",
        f"\uff1cscript\uff1e{ALERT}\uff1c/script\uff1e",
        f"<scr\u200bipt>{ALERT}</scr\u200bipt>",
        f"Tekst\u2028<script>{ALERT}</script>\u2029",
        f"%3Cscript%3E{ALERT}%3C/script%3E",
        f"\\u003cscript\\u003e{ALERT}\\u003c/script\\u003e",
        f"\ufeff\u202e<script>{ALERT}</script>",
    ),
    *_v(
        "jsonld",
        f"</script><script>{ALERT}</script>",
        f"<!--<script>{ALERT}</script>",
        f"</SCRIPT ><svg onload={ALERT}>",
        f'"}}]</script><script>{ALERT}</script>',
    ),
    *_v(
        "template",
        "{{ 7|add:42 }}wspltpl",
        "{% debug %}wspltpl",
        "${7*7}wspltpl #{7*7} <%= 7*7 %>",
    ),
    *_v(
        "css",
        f'<div style="background:url(javascript:{ALERT})">x</div>',
        f'<div style="width:expression({ALERT})">x</div>',
        f"<style>@import 'javascript:{ALERT}';</style>",
    ),
    *_v(
        "embed",
        f'<iframe src="javascript:{ALERT}"></iframe>',
        f'<object data="data:text/html,<script>{ALERT}</script>"></object>',
        f'<embed src="javascript:{ALERT}">',
        f'<base href="javascript:{ALERT}//">',
        f'<meta http-equiv="refresh" content="0;url=javascript:{ALERT}">',
        f"<link rel=stylesheet href=javascript:{ALERT}>",
        f"<form><button formaction=javascript:{ALERT}>x</button></form>",
    ),
    *_v(
        "mxss",
        f'<noscript><p title="</noscript><img src=x onerror={ALERT}>">',
        f"<textarea></textarea><img src=x onerror={ALERT}>",
        f"<title></title><img src=x onerror={ALERT}>",
        f'<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;img src=1 onerror={ALERT}&gt;">',
    ),
    *_v("long", "A" * 20_001 + f"<script>{ALERT}</script>", "Ż" * 5_000 + f"<img src=x onerror={ALERT}>"),
    *_v(
        "control",
        f"Tekst\x00<script>{ALERT}</script>",
        f"Tekst\x1b[31m\x07<img src=x onerror={ALERT}>",
        f"Tekst\r\nX-Wspl-Injected: 1\r\n<script>{ALERT}</script>",
    ),
]

XSS_KINDS = sorted({vector.kind for vector in XSS})


def sample(index, vectors=XSS):
    """One vector of every class for the field numbered `index`, a different one of each class for the next field:
    deterministic, and over the fields every vector is used."""
    chosen = []
    for kind in sorted({vector.kind for vector in vectors}):
        of_kind = [vector for vector in vectors if vector.kind == kind]
        chosen.append(of_kind[index % len(of_kind)])
    return chosen


# --- spreadsheet formulas -----------------------------------------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("https://evil.example.org/?wsplcsv","Kliknij")',
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=1+1",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --- query parameters and methods ---------------------------------------------------------------------------------

BAD_QUERIES = [
    "?page=%00",
    "?page=10" + "0" * 30,
    "?page=-1",
    "?page=1.5",
    "?page=1e309",
    "?q=%00zoliborz",
    "?q=zoliborz%0D%0ASet-Cookie:%20wspl=1",
    "?q=" + "a" * 10_000,
    "?q=%ff%fe%c3%28",
    "?q=zoliborz&q=mokotow&page=1&page=2",
    "?dzielnica=%00&rodzaj=nieznany&partnerstwo=..%2F..%2Fetc&sektor=%ff",
    "?nieznany_filtr=1&format=json&callback=alert",
    "?rok=99999999999999999999&miesiac=-3",
    "?lat=1e999&lon=NaN&lng=-inf",
    "?od=2026-02-30&do=9999-99-99",
    "?partnerstwo=" + "x" * 10_000,
    "?next=javascript:alert('wsplxss')",
]
ODD_METHODS = ["put", "delete", "patch", "options", "trace"]


# --- attack images ------------------------------------------------------------------------------------------------


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_header_only(width, height):
    """A PNG that claims `width` × `height` pixels in a few hundred bytes (a decompression bomb's shape)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    row = b"\x00" + b"\x00" * 3 * min(width, 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(row))
        + _png_chunk(b"IEND", b"")
    )


def _encoded(image, image_format, **options):
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def _jpeg():
    return _encoded(Image.new("RGB", (40, 30), (200, 30, 30)), "JPEG")


def _png(mode="RGB"):
    return _encoded(Image.new(mode, (40, 30)), "PNG")


def _exif_with_script():
    exif = Image.Exif()
    exif[0x010E] = f"<script>{ALERT}</script>"  # ImageDescription
    exif[0x013B] = f"<img src=x onerror={ALERT}>"  # Artist
    return _encoded(Image.new("RGB", (40, 30), (0, 90, 0)), "JPEG", exif=exif)


def _animated(image_format):
    frames = [Image.new("RGB", (20, 20), colour) for colour in ((255, 0, 0), (0, 255, 0))]
    return _encoded(frames[0], image_format, save_all=True, append_images=frames[1:], duration=100, loop=0)


def attack_files():
    """(name, bytes, what it is) of every upload the suite tries; outcome: refused, or stored re-encoded."""
    gif_js = (
        b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00;*/=alert('wsplxss');//" + _encoded(Image.new("P", (1, 1)), "GIF")[10:]
    )
    return [
        ("bomb.png", png_header_only(100_000, 100_000), "decompression bomb"),
        ("duzy.png", png_header_only(6_000, 4_200), "over 25 megapixels"),
        ("poliglota.gif", gif_js, "GIF/JavaScript polyglot"),
        ("poliglota.jpg", _jpeg() + f"<html><script>{ALERT}</script></html>".encode(), "JPEG with HTML after it"),
        ("png-udaje.jpg", _png(), "PNG named .jpg"),
        ("tekst.png", f"<script>{ALERT}</script>".encode(), "text named .png"),
        ("obraz.svg", f'<svg xmlns="http://www.w3.org/2000/svg" onload="{ALERT}"/>'.encode(), "SVG"),
        ("uciety.jpg", _jpeg()[:200], "truncated JPEG"),
        ("uciety.png", _png()[:60], "truncated PNG"),
        ("cmyk.jpg", _encoded(Image.new("CMYK", (40, 30), (0, 50, 50, 0)), "JPEG"), "CMYK JPEG"),
        ("gleboki.png", _png("I;16"), "16-bit PNG"),
        ("animacja.gif", _animated("GIF"), "animated GIF"),
        ("animacja.png", _animated("PNG"), "animated PNG"),
        ("pusty.jpg", b"", "zero bytes"),
        ("exif.jpg", _exif_with_script(), "EXIF with script"),
    ]
