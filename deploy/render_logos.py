"""Render the PNG copies of the WSPL logo kit (static/img/logo/*.svg) with headless Chromium.

The SVG files are the originals, drawn by hand from the site's mark (static/img/wspl-mark.svg); the PNGs next to
them are for programs that take no SVG (office documents, some social sites). Pillow cannot draw SVG, so a browser
does: each SVG is opened at its own width and height, twice as dense (SCALE), on a transparent background.
Run it after changing an SVG and commit the PNGs:

    python deploy/render_logos.py            # CHROMIUM=/path/to/chromium to choose the browser

The text in the SVGs asks for Liberation Sans (or Arial, Helvetica): have one of them installed, or the PNGs'
lettering comes out in another font.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

LOGO_DIR = Path(__file__).resolve().parent.parent / "static" / "img" / "logo"
SCALE = 2
SIZE = re.compile(r'<svg[^>]*\swidth="(\d+)"[^>]*\sheight="(\d+)"')


def chromium():
    browser = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        sys.exit("Chromium not found: set CHROMIUM=/path/to/chromium")
    return browser


def render(browser, svg, png, profile):
    match = SIZE.search(svg.read_text(encoding="utf-8"))
    if match is None:
        sys.exit(f"{svg.name}: the <svg> element needs width and height attributes")
    width, height = match.groups()
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            "--default-background-color=00000000",
            f"--force-device-scale-factor={SCALE}",
            f"--window-size={width},{height}",
            f"--screenshot={png}",
            svg.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    print(f"{png.relative_to(LOGO_DIR.parent.parent.parent)}: {int(width) * SCALE}×{int(height) * SCALE} px")


def main():
    browser = chromium()
    with tempfile.TemporaryDirectory() as profile:
        for svg in sorted(LOGO_DIR.glob("*.svg")):
            render(browser, svg, svg.with_suffix(".png"), profile)


if __name__ == "__main__":
    main()
