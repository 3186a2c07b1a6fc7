"""The English interface and Polish plural forms: complete catalogues, compiled files in step with them.

locale/en holds the English interface; locale/pl only Polish's three plural forms (Polish is the
source language). The compiled .mo files are committed, so a machine without GNU gettext still
serves both languages; these tests fail when a .po entry is empty or fuzzy, when a .mo no longer
matches its .po, or (where gettext is installed) when the code has a string no .po knows yet.
"""

import ast
import gettext as gnu_gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from partnerships.filters import PartnershipFilter
from partnerships.models import Partnership

LOCALE = Path(settings.BASE_DIR) / "locale"
POLISH_PLURALS = "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
# What `make messages` leaves out of the scan (Makefile), plus what is not source.
NOT_SCANNED = (".venv", "node_modules", "static", "test-artifacts", ".git", "media", "staticfiles", "locale")


def read_po(path):
    """The entries of a .po file: [{"msgctxt", "msgid", "msgid_plural", "msgstr": str | [str], "flags"}]."""
    entries, entry, key = [], None, None

    def finish():
        if entry is not None and entry.get("msgid") is not None:
            entries.append(entry)

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            finish()
            entry, key = None, None
            continue
        if entry is None:
            entry = {"msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": None, "flags": set()}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(key, int):
                entry["msgstr"][key] += value
            else:
                entry[key] += value
        else:
            keyword, _, value = line.partition(" ")
            value = ast.literal_eval(value)
            if keyword.startswith("msgstr["):
                key = int(keyword[7:-1])
                entry["msgstr"] = (entry["msgstr"] or []) + [value]
            else:
                key = keyword
                entry[key] = value
    finish()
    return [entry for entry in entries if not entry.get("obsolete")]


def header(entries):
    return dict(
        line.split(": ", 1) for line in next(e for e in entries if e["msgid"] == "")["msgstr"].splitlines() if line
    )


def catalogue_of(entries):
    """What a compiled .mo holds for these entries: the translated ones, keyed as Python's gettext keys them."""
    catalogue = {}
    for entry in entries:
        msgid = entry["msgid"] if entry["msgctxt"] is None else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if isinstance(entry["msgstr"], list):
            if all(entry["msgstr"]):
                catalogue.update({(msgid, n): form for n, form in enumerate(entry["msgstr"])})
        elif entry["msgstr"] and "fuzzy" not in entry["flags"]:
            catalogue[msgid] = entry["msgstr"]
    return catalogue


@pytest.mark.parametrize("language", ["en", "pl"])
def test_catalogue_header_names_its_language_and_plural_forms(language):
    found = header(read_po(LOCALE / language / "LC_MESSAGES" / "django.po"))

    assert found["Language"] == language
    assert found["Content-Type"] == "text/plain; charset=UTF-8"
    expected = "nplurals=2; plural=(n != 1);" if language == "en" else POLISH_PLURALS
    assert found["Plural-Forms"] == expected


def test_every_english_entry_is_translated_and_none_is_fuzzy():
    entries = [e for e in read_po(LOCALE / "en" / "LC_MESSAGES" / "django.po") if e["msgid"]]

    empty = [e["msgid"] for e in entries if not e["msgstr"] or not all(e["msgstr"])]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert len(entries) > 1000
    assert not empty, f"untranslated: {empty[:10]}"
    assert not fuzzy, f"fuzzy (check and remove the flag): {fuzzy[:10]}"
    # A translation keeps the placeholders of its source: "%(name)s" in Polish is "%(name)s" in English.
    broken = [
        e["msgid"]
        for e in entries
        if "python-format" in e["flags"]
        and not isinstance(e["msgstr"], list)
        and sorted(_placeholders(e["msgid"])) != sorted(_placeholders(e["msgstr"]))
    ]
    assert not broken, broken


def _placeholders(text):
    import re

    return re.findall(r"%\(\w+\)[sd]", text)


def test_polish_catalogue_has_three_forms_for_every_counted_phrase():
    entries = read_po(LOCALE / "pl" / "LC_MESSAGES" / "django.po")
    plurals = [e for e in entries if e["msgid_plural"]]

    assert len(plurals) >= 5
    for entry in plurals:
        assert len(entry["msgstr"]) == 3 and all(entry["msgstr"]), entry["msgid"]
        assert entry["msgstr"][0] == entry["msgid"], entry["msgid"]  # "1 wydarzenie": the singular as written
    assert not [e["msgid"] for e in entries if "fuzzy" in e["flags"] and e["msgid"]]


@pytest.mark.parametrize("language", ["en", "pl"])
def test_compiled_catalogue_is_in_step_with_its_po_file(language):
    """The committed .mo holds exactly the .po's translations: run `make messages` after editing a .po."""
    folder = LOCALE / language / "LC_MESSAGES"
    expected = catalogue_of(read_po(folder / "django.po"))
    with (folder / "django.mo").open("rb") as compiled:
        found = dict(gnu_gettext.GNUTranslations(compiled)._catalog)
    found.pop("", None)
    expected.pop("", None)

    missing = sorted(str(key) for key in expected.keys() - found.keys())
    extra = sorted(str(key) for key in found.keys() - expected.keys())
    changed = sorted(str(key) for key in expected.keys() & found.keys() if expected[key] != found[key])
    assert not (missing or extra or changed), (
        f"{folder}/django.mo is out of step with django.po – run `make messages`. "
        f"Missing: {missing[:5]}, extra: {extra[:5]}, changed: {changed[:5]}"
    )


def test_po_files_know_every_translatable_string_in_the_code(tmp_path):
    """makemessages on a copy of the project finds no msgid the committed catalogues lack."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed: the scan for new strings needs it")
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    shutil.copytree(base, copy, ignore=shutil.ignore_patterns(*NOT_SCANNED, "__pycache__", "*.sqlite3", "*.pyc"))
    shutil.copytree(LOCALE, copy / "locale")
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "--no-location"],
        cwd=copy,
        env={"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "1", "PYTHONPATH": str(copy)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr

    known = {(e["msgctxt"], e["msgid"]) for e in read_po(LOCALE / "en" / "LC_MESSAGES" / "django.po")}
    scanned = read_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")
    new = [e["msgid"] for e in scanned if (e["msgctxt"], e["msgid"]) not in known]
    assert not new, f"strings without an English translation – run `make messages` and translate them: {new[:10]}"


# --- plural forms in the pages ---------------------------------------------------------------------------------

COUNTED = {
    "dates": {
        "pl": {1: "1 termin", 2: "2 terminy", 5: "5 terminów", 22: "22 terminy", 25: "25 terminów"},
        "en": {1: "1 date", 2: "2 dates", 5: "5 dates", 22: "22 dates", 25: "25 dates"},
    },
    "organisations": {
        "pl": {1: "1 organizację", 2: "2 organizacje", 5: "5 organizacji", 22: "22 organizacje", 25: "25 organizacji"},
        "en": {1: "1 organisation", 2: "2 organisations", 5: "5 organisations", 22: "22 organisations"},
    },
    "partnerships": {
        "pl": {1: "1 partnerstwo", 2: "2 partnerstwa", 5: "5 partnerstw", 22: "22 partnerstwa", 25: "25 partnerstw"},
        "en": {1: "1 partnership", 2: "2 partnerships", 5: "5 partnerships", 25: "25 partnerships"},
    },
    "": {
        "pl": {1: "1 wynik", 2: "2 wyniki", 5: "5 wyników", 12: "12 wyników", 22: "22 wyniki", 25: "25 wyników"},
        "en": {1: "1 result", 2: "2 results", 5: "5 results", 22: "22 results"},
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("counted", COUNTED)
@pytest.mark.parametrize("language", ["pl", "en"])
def test_result_count_takes_the_plural_form_of_the_language(rf, counted, language):
    found_word = {"pl": "Znaleziono", "en": "Found"}[language]
    for count, phrase in COUNTED[counted][language].items():
        with translation.override(language):
            html = render_to_string(
                "includes/filter_form.html",
                {
                    "filter": PartnershipFilter(data={}, queryset=Partnership.objects.none()),
                    "result_count": count,
                    "counted": counted,
                    "request": rf.get("/"),
                },
            )
        assert f"{found_word} {phrase}\n" in html, (language, count, html[-200:])


@pytest.mark.django_db
def test_organisation_directory_counts_22_organisations_in_polish_and_english(client):
    from tests import factories

    for _ in range(22):
        factories.organisation()

    polish = client.get("/organizacje/").content.decode()
    english = client.get("/en/organisations/").content.decode()

    assert "Znaleziono 22 organizacje" in polish
    assert "Found 22 organisations" in english


@pytest.mark.django_db
def test_search_result_count_says_wyniki_for_two_and_results_in_english(client):
    from tests import factories

    factories.partnership(name="Partnerstwo Zorza Północna")
    factories.partnership(name="Partnerstwo Zorza Południowa")

    polish = client.get("/szukaj/", {"q": "zorza"}).content.decode()
    english = client.get("/en/search/", {"q": "zorza"}).content.decode()

    assert "Znaleziono 2 wyniki dla „zorza”" in polish
    assert "Found 2 results for “zorza”" in english
