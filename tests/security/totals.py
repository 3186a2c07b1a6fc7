"""The suite's totals, printed at the end of the pytest run (conftest.pytest_terminal_summary).

Per category: inputs tried, refused cleanly (a Polish message or a 4xx, nothing changed), stored inert (saved, and
every page, feed and file showing it is inert) and problems (a 5xx, executable output or a stray row).
"""

from collections import defaultdict

COLUMNS = ("tried", "refused", "inert", "problems")
counts = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
notes = []


def count(category, outcome):
    """outcome: "refused", "inert" or "problems"; every call is one input tried."""
    counts[category]["tried"] += 1
    counts[category][outcome] += 1


def note(text):
    if text not in notes:
        notes.append(text)
