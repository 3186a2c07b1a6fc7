"""Text written into a CSV or XLSX file cannot run as a spreadsheet formula.

A cell that starts with =, +, -, @, a tab or a carriage return is read as a formula by Excel and LibreOffice
(`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`), so every file the site writes (open data, the staff's exports, the year's
report) starts such a cell with an apostrophe, as OWASP advises. A number or a phone number ("+48 600 100 200",
"-5") stays as it is. An imported file's cell loses that apostrophe again, so a table exported and imported back is
unchanged.
"""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text):
    return text.lstrip("+-").replace(" ", "").isdigit()


def neutralise(value):
    """The value as a spreadsheet shows it but never runs it (only text can start a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _is_number(value):
        return "'" + value
    return value


def restore(value):
    """An imported cell as it was before `neutralise()`."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value
