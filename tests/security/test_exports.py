"""Spreadsheet formulas typed into the site's texts cannot run when a file is opened: every CSV and XLSX the site
writes (open data, the staff's export of each table, the year's report) neutralises a cell that starts with
=, +, -, @, a tab or a carriage return (a leading apostrophe), and an XLSX has no formula cells."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from opendata.views import DATASETS
from tests import factories

from . import totals, world
from .corpora import FORMULA_START

pytestmark = pytest.mark.django_db

CSV, XLSX = "0", "1"  # their places in IMPORT_EXPORT_FORMATS
NUMBER = re.compile(r"^[+-]?[\d\s]+([.,]\d+)?$")  # a phone (+48 600 100 200) or a number: a spreadsheet's own value


@pytest.fixture
def formulas_site(db):
    built = world.build()
    built.poisoned_fields = world.poison_with_formulas(built)
    return built


def cell_problem(value):
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.match(value):
        return f"a cell that runs as a formula: {value[:80]!r}"
    return None


def csv_problems(content):
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    return [problem for row in rows for value in row if (problem := cell_problem(value))]


def xlsx_problems(content):
    problems = []
    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    problems.append(f"{sheet.title}!{cell.coordinate} is a formula: {str(cell.value)[:80]!r}")
                elif problem := cell_problem(cell.value):
                    problems.append(f"{sheet.title}!{cell.coordinate}: {problem}")
    return problems


def count(category, problems, found):
    problems.extend(found)
    totals.count(category, "problems" if found else "inert")


def test_open_data_csv_files_neutralise_formulas(formulas_site, client):
    problems = []
    for dataset in DATASETS:
        if "csv" in dataset.formats:
            response = client.get(reverse(f"opendata:{dataset.key}-csv"))
            count("spreadsheet formulas", problems, [f"{dataset.key}.csv: {p}" for p in csv_problems(response.content)])

    assert formulas_site.poisoned_fields > 60
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "table",
    [
        "partnerships_partnership",
        "members_organisation",
        "members_membership",
        "members_person",
        "members_partnershiprole",
        "events_event",
    ],
)
@pytest.mark.parametrize("fmt", [CSV, XLSX])
def test_staff_exports_neutralise_formulas(formulas_site, staff_client, table, fmt):
    response = staff_client.post(reverse(f"admin:{table}_export"), {"format": fmt, "resource": "0"})

    found = (csv_problems if fmt == CSV else xlsx_problems)(response.content)
    count("spreadsheet formulas", [], found)
    assert response.status_code == 200
    assert not found, "\n".join(found)


def test_the_year_report_neutralises_formulas(formulas_site, staff_client):
    response = staff_client.get(reverse("admin:report_xlsx"), {"rok": timezone.localdate().year})

    found = xlsx_problems(response.content)
    count("spreadsheet formulas", [], found)
    assert response.status_code == 200
    assert not found, "\n".join(found)


@pytest.mark.parametrize("fmt", [CSV, XLSX])
def test_a_neutralised_cell_imports_back_as_it_was(staff_client, fmt):
    organisation = factories.organisation(name="=1+1 Fundacja", description="@SUM(1+1)", phone="+48 600 100 200")
    exported = staff_client.post(reverse("admin:members_organisation_export"), {"format": fmt, "resource": "0"})
    upload = SimpleUploadedFile("eksport.xlsx" if fmt == XLSX else "eksport.csv", exported.content)

    previewed = staff_client.post(
        reverse("admin:members_organisation_import"), {"import_file": upload, "format": fmt, "resource": "0"}
    )

    result = previewed.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, 1)
    organisation.refresh_from_db()
    assert (organisation.name, organisation.description) == ("=1+1 Fundacja", "@SUM(1+1)")
