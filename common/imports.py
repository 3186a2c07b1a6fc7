"""Import and export of the back office's tables as CSV or XLSX files (django-import-export), in Polish.

A file's columns have fixed Polish names, the same whatever the admin's language: they are the file's format, so a
file exported under /en/admin/ imports under /admin/. Cells hold what staff read in the admin: names or slugs of
related rows, choice labels in Polish, "tak"/"nie", dates as RRRR-MM-DD. An unknown or malformed value is a row error
in Polish that names the value.

An import always shows a preview first (a dry run, rolled back) and changes nothing until staff confirm; the confirmed
import is one transaction, and a row error anywhere writes nothing. Rows that would not change are skipped, so a file
exported and imported again changes nothing. Every row written is saved on its own (no bulk paths), so
django-simple-history records it with the staff member as its author and IMPORT_REASON as the change reason.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm

from .history import authored
from .spreadsheets import neutralise, restore
from .text import fold, make_slug

IMPORT_REASON = "Import z pliku"

TRUE_WORDS = {"tak", "t", "1", "true", "yes", "prawda"}
FALSE_WORDS = {"nie", "n", "0", "false", "no", "falsz", ""}


def cell_text(value):
    """A cell as text: spreadsheets give numbers (a KRS typed as 123456.0), CSV gives strings."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class TextWidget(widgets.Widget):
    """Text as it is; a spreadsheet's number (a phone typed as digits) as its digits."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, (int, float)):
            return cell_text(value)
        return "" if value is None else str(value)


class NumberWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            raise ValueError(gettext("Wpisz liczbę całkowitą (jest „%(value)s”).") % {"value": text}) from None


class ChoiceWidget(widgets.Widget):
    """A choice as its Polish label; a cell may hold the label in either language or the stored value."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices  # the model field's (value, label) pairs

    def render(self, value, obj=None, **kwargs):
        with translation.override("pl"):
            return next((str(label) for key, label in self.choices if key == value), value or "")

    def clean(self, value, row=None, **kwargs):
        text = fold(cell_text(value))
        if not text:
            return ""
        for key, label in self.choices:
            names = {fold(key)}
            for language in ("pl", "en"):
                with translation.override(language):
                    names.add(fold(str(label)))
            if text in names:
                return key
        with translation.override("pl"):
            allowed = ", ".join(str(label) for key, label in self.choices)
        raise ValueError(
            gettext("Nieznana wartość „%(value)s”. Wpisz jedną z: %(allowed)s.")
            % {"value": cell_text(value), "allowed": allowed}
        )


class YesNoWidget(widgets.Widget):
    """A yes/no field as "tak" or "nie"; an empty cell is "nie"."""

    def render(self, value, obj=None, **kwargs):
        return "tak" if value else "nie"

    def clean(self, value, row=None, **kwargs):
        text = fold(cell_text(value))
        if value is True or text in TRUE_WORDS:
            return True
        if value is False or text in FALSE_WORDS:
            return False
        raise ValueError(gettext("Wpisz „tak” albo „nie” (jest „%(value)s”).") % {"value": cell_text(value)})


class DateWidget(widgets.DateWidget):
    """A date as RRRR-MM-DD (also DD.MM.RRRR, or a spreadsheet's date cell)."""

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
        self.formats = ("%Y-%m-%d", "%d.%m.%Y")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        try:
            return super().clean(cell_text(value) or None, row, **kwargs)
        except ValueError:
            raise ValueError(
                gettext("Nie rozpoznano daty „%(value)s”: wpisz ją jako RRRR-MM-DD, np. 2026-03-15.")
                % {"value": cell_text(value)}
            ) from None


class DateTimeWidget(widgets.DateTimeWidget):
    """A date and time in Warsaw as RRRR-MM-DD GG:MM (also with seconds, DD.MM.RRRR GG:MM, or a spreadsheet's cell)."""

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d %H:%M", **kwargs)
        self.formats = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value if timezone.is_aware(value) else timezone.make_aware(value)
        try:
            return super().clean(cell_text(value) or None, row, **kwargs)
        except ValueError:
            raise ValueError(
                gettext(
                    "Nie rozpoznano daty i godziny „%(value)s”: wpisz je jako RRRR-MM-DD GG:MM, np. 2026-03-15 18:00."
                )
                % {"value": cell_text(value)}
            ) from None


class LookupWidget(widgets.ForeignKeyWidget):
    """A related row written as `field` (a slug, a name) and found by it or by the `also` lookups, in that order.

    A value that names no row, or more than one, is an error in `unknown`'s words (with %(value)s).
    """

    def __init__(self, model, field="slug", *, also=(), unknown, **kwargs):
        super().__init__(model, field, **kwargs)
        self.lookups = (field, *also)
        self.unknown = unknown

    def find(self, text):
        for lookup in self.lookups:
            # "slug_of": the slug made from the text, so "żoliborz" and "Praga-Południe" find their districts.
            value = make_slug(text) if lookup == "slug_of" else text
            found = list(self.model.objects.filter(**{"slug" if lookup == "slug_of" else lookup: value})[:2])
            if len(found) == 1:
                return found[0]
        return None

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        found = self.find(text)
        if found is None:
            raise ValueError(self.unknown % {"value": text})
        return found


class LookupManyWidget(widgets.ManyToManyWidget):
    """Related rows as a comma-separated list of `field` values, each found as LookupWidget finds one."""

    def __init__(self, model, field="slug", *, also=(), unknown, **kwargs):
        super().__init__(model, separator=", ", field=field, **kwargs)
        self.one = LookupWidget(model, field, also=also, unknown=unknown)

    def clean(self, value, row=None, **kwargs):
        names = [name.strip() for name in cell_text(value).split(",") if name.strip()]
        found = {name: self.one.find(name) for name in names}
        unknown = [name for name, row_found in found.items() if row_found is None]
        if unknown:
            raise ValueError(self.one.unknown % {"value": ", ".join(unknown)})
        return self.model.objects.filter(pk__in=[row_found.pk for row_found in found.values()])


def widget_for(django_field):
    if django_field.choices:
        return ChoiceWidget(django_field.choices)
    if isinstance(django_field, models.BooleanField):
        return YesNoWidget()
    if isinstance(django_field, models.DateTimeField):
        return DateTimeWidget()
    if isinstance(django_field, models.DateField):
        return DateWidget()
    if isinstance(django_field, models.IntegerField):
        return NumberWidget()
    return TextWidget()


def related_column(attribute, column_name, model, field="slug", *, many=False, also=(), unknown):
    """A column of related rows (LookupWidget, or LookupManyWidget when `many`)."""
    widget = (LookupManyWidget if many else LookupWidget)(model, field, also=also, unknown=unknown)
    return fields.Field(attribute=attribute, column_name=column_name, widget=widget)


class Resource(resources.ModelResource):
    """What every table's import and export shares; a subclass declares its fields and its `Meta`.

    Rows are found by `import_id_fields` (slugs, or the natural key of a link), rows that would not change are
    skipped, the model's own validation runs (its messages are Polish) and its errors are shown under the file's
    column names. `related` and `prefetch` shape the exported rows, so an export runs the same number of queries
    whatever its size.
    """

    related = ()
    prefetch = ()

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        skip_html_diff = True  # its markup has style attributes, which the site's Content-Security-Policy refuses
        store_row_values = True  # the preview shows the file's cells

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        """A model field's column: named by its Polish verbose name, with the widget of its kind."""
        field = super().field_from_django_field(field_name, django_field, readonly)
        with translation.override("pl"):
            field.column_name = str(django_field.verbose_name)
        field.widget = widget_for(django_field)
        return field

    def get_export_order(self):
        return tuple(self._meta.fields)

    def get_import_order(self):
        return tuple(self._meta.fields)

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related(*self.related).prefetch_related(*self.prefetch)

    def column(self, name):
        """The file's column of a model field, or the field's own name when the file has none."""
        for field in self.get_import_fields():
            if field.attribute == name:
                return field.column_name
        if name == NON_FIELD_ERRORS:
            return name
        return str(self._meta.model._meta.get_field(name).verbose_name)

    def export_field(self, field, instance, **kwargs):
        """A cell of the file: text that a spreadsheet would run as a formula starts with an apostrophe."""
        return neutralise(super().export_field(field, instance, **kwargs))

    def before_import_row(self, row, **kwargs):
        """The file's cells without the apostrophe the export put before a formula's first character."""
        super().before_import_row(row, **kwargs)
        for column, value in row.items():
            row[column] = restore(value)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        missing = [
            self.fields[name].column_name
            for name in self.get_import_id_fields()
            if self.fields[name].column_name not in (dataset.headers or ())
        ]
        if missing:
            raise ValueError(
                gettext(
                    "W pliku brak kolumn: %(columns)s. Po nich rozpoznajemy wiersze; pierwszy wiersz pliku to nazwy "
                    "kolumn, takie jak w pliku z eksportu."
                )
                % {"columns": ", ".join(missing)}
            )

    def get_instance(self, instance_loader, row):
        """The row's object, found by the import id columns; a value there that names nothing is the row's error."""
        errors = {}
        for name in self.get_import_id_fields():
            field = self.fields[name]
            try:
                field.clean(row)
            except (KeyError, ValueError) as error:
                errors[field.column_name] = [
                    error.args[0] if isinstance(error, ValueError) else gettext("brak kolumny")
                ]
        if errors:
            raise ValidationError(errors)
        try:
            return super().get_instance(instance_loader, row)
        except self._meta.model.MultipleObjectsReturned:
            raise ValidationError(
                gettext("Te same dane ma w katalogu kilka wierszy: popraw je w panelu i zaimportuj plik jeszcze raz.")
            ) from None

    def import_instance(self, instance, row, **kwargs):
        """The row's values on the instance, with every error of the row at once (check_row's too)."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, said in self.check_row(instance, row).items():
            errors.setdefault(name, said)
        if errors:
            raise ValidationError(errors)

    def check_row(self, instance, row):
        """More errors of the row, {model field: [messages]}: here those of the many-to-many cells, which the
        library reads only when it saves them, after the row."""
        errors = {}
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = [error.args[0]]
        return errors

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        derived = [field.name for field in instance._meta.concrete_fields if not field.editable]
        try:
            instance.full_clean(exclude=[*errors, *derived], validate_unique=validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError({self.column(name): said for name, said in errors.items()})

    def before_save_instance(self, instance, row, **kwargs):
        authored(instance, kwargs.get("user"))
        instance._change_reason = IMPORT_REASON  # django-simple-history's documented change reason


class ImportExportAdminMixin(ImportExportMixin):
    """The admin's "Importuj" and "Eksportuj" buttons, in Polish, for the admins of the domain apps.

    Staff pick CSV or XLSX (IMPORT_EXPORT_FORMATS); the preview and the errors are shown by the site's templates
    (templates/admin/import_export/wspl_*.html, without the library's inline styles and scripts, which the site's
    Content-Security-Policy refuses).
    """

    import_export_change_list_template = "admin/import_export/wspl_change_list.html"
    import_template_name = "admin/import_export/wspl_import.html"
    export_template_name = "admin/import_export/wspl_export.html"
    export_form_class = ExportForm
    skip_admin_log = True  # the history (IMPORT_REASON) is the trail; the admin's log would say it in English

    def import_action(self, request, **kwargs):
        """The import page, with the columns rows are found by and the preview's rows as the file has them."""
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        if context is not None:
            resource = self.get_import_resource_classes(request)[0](**self.get_import_resource_kwargs(request))
            context["id_columns"] = [resource.fields[name].column_name for name in resource.get_import_id_fields()]
            if context.get("result") is not None:
                result = context["result"]
                context["preview"] = [
                    (row, [row.row_values.get(header, "") for header in result.diff_headers])
                    for row in result.valid_rows()
                ]
        return response

    def get_import_data_kwargs(self, **kwargs):
        # The confirmed import is rolled back as a whole on a row that does not validate, as on any other error.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def get_export_filename(self, request, queryset, file_format):
        with translation.override("pl"):
            name = make_slug(str(self.model._meta.verbose_name_plural))
        return f"wspl-{name}-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    def process_import(self, request, **kwargs):
        """The confirmation; sent twice (or after the file was cleaned away), it says so instead of failing."""
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:
            messages.error(
                request, _("Tego pliku już nie ma: został zaimportowany albo wygasł. Wczytaj go jeszcze raz.")
            )
            return HttpResponseRedirect(self.import_url())

    def import_url(self):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import", current_app=self.admin_site.name)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The data changed between the preview and the confirmation: nothing was written.
            messages.error(request, _("Nie zaimportowano nic: plik ma błędy. Wczytaj go jeszcze raz, aby je zobaczyć."))
            return HttpResponseRedirect(self.import_url())
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(
            request,
            _("Zaimportowano plik. Nowe: %(new)d, zmienione: %(update)d, bez zmian: %(skip)d.")
            % {"new": totals["new"], "update": totals["update"], "skip": totals["skip"]},
        )
