"""Reading a produced workbook back with openpyxl, keyed by the column keys of labels.py,
and comparing it with ``command-center kpi --json`` figure by figure."""

from __future__ import annotations

import contextlib
import io
import itertools
import json
from datetime import timedelta
from typing import Any

from openpyxl import load_workbook

from supervisor.cli import main
from supervisor.export.labels import Labels, keys

DURATION_KEYS = {"asa_seconds", "max_wait_seconds", "aht_seconds", "mean_time_to_resolve_seconds"}


def kpi_json(url: str, start: str, end: str, formula: str = "abandons_count_against") -> dict[str, Any]:
    """``command-center kpi --json`` run through the real CLI entry point."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        rc = main(["kpi", "--db", url, "--from", start, "--to", end, "--json", "--formula", formula])
    assert rc == 0
    return json.loads(out.getvalue())


def export(url: str, start: str, end: str, out: Any, *extra: str) -> int:
    return main(["export", "--db", url, "--from", start, "--to", end, "--out", str(out), *extra])


def header_map(lang: str) -> dict[str, str]:
    """Header text → column key (without the ``col.`` prefix)."""
    labels = Labels(lang)
    return {labels[k]: k[4:] for k in keys() if k.startswith("col.")}


def sheet(wb: Any, key: str, lang: str) -> Any:
    return wb[Labels(lang)[f"sheet.{key}"]]


def table(ws: Any, lang: str) -> list[dict[str, Any]]:
    """The rows of a table sheet as dicts keyed by column key; durations as seconds."""
    rows = ws.iter_rows(values_only=True)
    names = header_map(lang)
    # the table's header ends at the first empty cell (a sheet's note may follow it)
    header = [names[h] for h in itertools.takewhile(lambda h: h is not None, next(rows))]
    assert len(set(header)) == len(header), header
    out = []
    for row in rows:
        if all(v is None for v in row):
            continue
        out.append({k: _plain(v) for k, v in zip(header, row)})
    return out


def _plain(v: Any) -> Any:
    return v.total_seconds() if isinstance(v, timedelta) else v


def summary_figures(ws: Any, lang: str) -> dict[str, Any]:
    """Headline figures of the Summary: queue keys for the total, ``esc.`` keys for escalations."""
    labels = Labels(lang)
    wanted: dict[str, str] = {}
    for k in keys():
        if k.startswith("col.") or k.startswith("esc."):
            text = labels[k]
            key = k[4:] if k.startswith("col.") else k
            wanted.setdefault(text, key)
            if k.startswith("esc."):
                wanted[text] = key  # the summary's escalation rows use esc. labels
    figures: dict[str, Any] = {}
    in_table = False
    for row in ws.iter_rows(min_col=1, max_col=3, values_only=True):
        label, value = row[0], row[1]
        if label == labels["headline"]:
            in_table = True
            continue
        if in_table:
            if label is None:
                break
            figures[wanted[label]] = _plain(value)
    return figures


def same(actual: Any, expected: Any, key: str) -> None:
    """One workbook cell against one JSON figure: equal, empty for null, durations to 0.1 s."""
    if expected is None:
        assert actual is None, f"{key}: expected an empty cell, found {actual!r}"
        return
    assert actual is not None, f"{key}: expected {expected!r}, found an empty cell"
    if key in DURATION_KEYS or isinstance(actual, float) and key.endswith("seconds"):
        # stored as days; the JSON has 0.1 s precision, the cell must give it back exactly
        assert round(actual, 1) == expected and abs(actual - expected) < 1e-4, (key, actual, expected)
    else:
        assert actual == expected, (key, actual, expected)
        assert type(actual) is type(expected) or isinstance(expected, float), (key, actual, expected)


def assert_workbook_equals_kpi(path: Any, kpi: dict[str, Any], lang: str) -> int:
    """Every figure cell of the workbook against the kpi --json object; returns cells compared."""
    wb = load_workbook(path)
    n = 0
    queues = {r["queue"]: r for r in table(sheet(wb, "queues", lang), lang)}
    labels = Labels(lang)
    total_row = queues.pop(labels["total"])
    assert list(queues) == list(kpi["queues"]), "one row per queue, in the engine's order"
    for qid, expected in kpi["queues"].items():
        for key, value in expected.items():
            if key == "name":
                # the server's name, or the id when it never named the queue
                same(queues[qid]["queue_name"], value or qid, key)
            else:
                same(queues[qid][key], value, key)
            n += 1
    for key, value in kpi["total"].items():
        same(total_row[key], value, key)
        n += 1
    summary = summary_figures(sheet(wb, "summary", lang), lang)
    for key, value in kpi["total"].items():
        same(summary[key], value, key)
        n += 1
    for key, value in kpi["escalations"].items():
        same(summary[f"esc.{key}"], value, key)
        n += 1
    agents = {r["agent_id"]: r for r in table(sheet(wb, "agents", lang), lang)}
    assert sorted(agents) == sorted(kpi["agents"])
    for aid, expected in kpi["agents"].items():
        row = agents[aid]
        for key in ("handled", "aht_seconds", "occupancy", "csat"):
            same(row[key], expected[key], key)
            n += 1
        for state in ("available", "ringing", "on_call", "wrap_up", "break", "meeting", "training"):
            # a state the JSON leaves out had no time: the workbook says 0
            secs = expected["state_seconds"].get(state, 0.0)
            same(row[f"state.{state}"], secs, "state_seconds")
            n += 1
    wb.close()
    return n
