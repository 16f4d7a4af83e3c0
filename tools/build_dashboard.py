#!/usr/bin/env python3
"""Write the "Sales Desk" spreadsheet dashboard (Odoo's Dashboards app) and its
sample twin, shown while the database has no ticket:

    python3 tools/build_dashboard.py   # rewrites data/files/*.json

The live dashboard reads everything through pivots and charts on the report
models (isp.sales.ticket.report, isp.sales.funnel.report, ...), so each figure
is one read_group in SQL; the sample one holds fixed numbers.

Its measures follow the desk's one definition (isp.sales.ticket.report, and the
monthly report): won, lost, the win rate and the days to win of a period count
the tickets won or lost in it (``date_closed``), whenever they were opened; the
win rate is won / (won + lost), open tickets left out. New leads and new
tickets count those created in the period. The dashboard says so at its top.
"""

import json
from pathlib import Path

FILES = Path(__file__).resolve().parent.parent / "data" / "files"
VERSION = "18.5.10"

PERIOD, ORIGIN, SELLER = "isp-period", "isp-origin", "isp-seller"
GLOBAL_FILTERS = [
    {"id": PERIOD, "type": "date", "label": "Period", "defaultValue": "this_month"},
    {"id": ORIGIN, "type": "relation", "label": "Origin", "modelName": "utm.source",
     "defaultValueDisplayNames": []},
    {"id": SELLER, "type": "relation", "label": "Seller", "modelName": "res.users",
     "defaultValueDisplayNames": []},
]  # fmt: skip


def matching(date_field, offset=0, source="source_id", user="user_id"):
    period = (
        {"chain": date_field, "type": "datetime", "offset": offset}
        if date_field
        else {}
    )
    return {
        PERIOD: period,
        ORIGIN: {"chain": source, "type": "many2one"},
        SELLER: {"chain": user, "type": "many2one"},
    }


def pivot(
    pid, model, name, measures, date_field, offset=0, rows=(), domain=(), sort=None
):
    definition = {
        "type": "ODOO",
        "id": str(pid),
        "formulaId": str(pid),
        "name": name,
        "model": model,
        "domain": list(domain),
        "context": {},
        "measures": [{"id": m, "fieldName": m} for m in measures],
        "rows": [{"fieldName": r} for r in rows],
        "columns": [],
        "fieldMatching": matching(date_field, offset),
    }
    if sort:
        definition["sortedColumn"] = {"measure": sort, "order": "desc", "domain": []}
    return definition


REPORT = "isp.sales.ticket.report"
# a period's tickets won or lost: the one definition of won, lost and win rate
CLOSED = "date_closed"
CLOSED_MEASURES = ["won_count", "lost_count", "win_rate", "days_to_win",
                   "median_days_to_win"]  # fmt: skip
PIVOTS = [
    pivot(1, "isp.sales.lead", "Leads - current", ["__count"], "create_date"),
    pivot(2, "isp.sales.lead", "Leads - previous", ["__count"], "create_date", -1),
    pivot(3, REPORT, "Tickets opened - current", ["__count"], "date_open"),
    pivot(4, REPORT, "Tickets opened - previous", ["__count"], "date_open", -1),
    pivot(5, REPORT, "Loss reasons", ["__count"], CLOSED,
          rows=["lost_reason_id"], domain=[["state", "=", "lost"]], sort="__count"),
    pivot(6, REPORT, "Lost for no coverage", ["__count", "amount_total"], CLOSED,
          domain=[["state", "=", "lost"], ["is_no_coverage_loss", "=", True]]),
    pivot(7, "isp.sales.ticket", "Stale tickets", ["__count"], None,
          domain=[["is_stale", "=", True]]),
    pivot(8, REPORT, "Tickets closed - current", CLOSED_MEASURES, CLOSED),
    pivot(9, REPORT, "Tickets closed - previous", CLOSED_MEASURES, CLOSED, -1),
]  # fmt: skip


def value(pivot_id, measure):
    return f'=PIVOT.VALUE({pivot_id},"{measure}")'


# (label, this period, previous period) on the Data sheet, from row 2
KPIS = [
    ("New leads", value(1, "__count"), value(2, "__count")),
    ("New tickets", value(3, "__count"), value(4, "__count")),
    ("Win rate (%)", value(8, "win_rate"), value(9, "win_rate")),
    ("Average days to win", value(8, "days_to_win"), value(9, "days_to_win")),
    ("Median days to win", value(8, "median_days_to_win"), ""),
    ("Won in the period", value(8, "won_count"), value(9, "won_count")),
    ("Lost in the period", value(8, "lost_count"), value(9, "lost_count")),
    ("Stale tickets", value(7, "__count"), ""),
    ("Lost for no coverage", value(6, "__count"), ""),
    ("Monthly revenue lost (no coverage)", value(6, "amount_total"), ""),
]
# sample figures, in the same order
SAMPLE_KPIS = [(132, 118), (96, 88), (58.3, 52.1), (9.4, 11.2), (7.0, ""), (42, 37),
               (30, 34), (11, ""), (9, ""), (1350.0, "")]  # fmt: skip
PARETO_ROWS = 6  # loss reasons shown, largest first
PARETO_START = 14  # first row of the loss-reasons table on the Data sheet
SAMPLE_REASONS = [("No coverage", 12), ("Price", 8), ("Chose another provider", 5),
                  ("No answer", 3), ("No plan", 1),
                  ("Technical impossibility", 1)]  # fmt: skip
SAMPLE_FUNNEL = [("Leads", 132), ("Tickets", 96), ("With Order", 61), ("Won", 42)]
SAMPLE_BY = {
    "source_id": [("Facebook", 61.5), ("Referido", 80.0), ("Web", 45.0),
                  ("Walk-in", 50.0)],
    "user_id": [("Sergio", 62.0), ("Laura", 55.0), ("Pablo", 48.0)],
    "plan_product_id": [("Plan 100 Mb", 57.0), ("Plan 300 Mb", 64.0),
                        ("Plan 50 Mb", 41.0)],
}  # fmt: skip
# live charts: (id, x, y, title, model, group by, measure, date of the period)
CHARTS = [
    ("isp-funnel", 0, 240, "Funnel", "isp.sales.funnel.report", "stage", "__count",
     "date"),
    ("isp-rate-source_id", 0, 550, "Win rate by origin", REPORT, "source_id",
     "win_rate", CLOSED),
    ("isp-rate-user_id", 550, 550, "Win rate by seller", REPORT, "user_id",
     "win_rate", CLOSED),
    ("isp-rate-plan_product_id", 0, 860, "Win rate by plan", REPORT,
     "plan_product_id", "win_rate", CLOSED),
]  # fmt: skip
# said on the dashboard itself, above the figures
DEFINITION = (
    "Won, lost, win rate and days to win: the tickets won or lost in the "
    "period, whenever they were opened. Win rate = won / (won + lost); open "
    "tickets do not count. New leads and new tickets: created in the period."
)
TOP = 36  # pixels above the figures: the definition's row


def sheet(sheet_id, name, **values):
    return dict(
        {
            "id": sheet_id, "name": name, "colNumber": 12, "rowNumber": 60,
            "rows": {}, "cols": {}, "merges": [], "cells": {}, "styles": {},
            "formats": {}, "borders": {}, "conditionalFormats": [],
            "dataValidationRules": [], "figures": [], "tables": [],
            "areGridLinesVisible": True, "isVisible": True,
            "headerGroups": {"ROW": [], "COL": []}, "comments": {},
        },
        **values,
    )  # fmt: skip


def data_sheet(sample):
    cells = {"A1": '=_t("KPI")', "B1": '=_t("Current")', "C1": '=_t("Previous")'}
    for index, (label, current, previous) in enumerate(KPIS, start=2):
        cells[f"A{index}"] = f'=_t("{label}")'
        if sample:
            now, before = SAMPLE_KPIS[index - 2]
            cells[f"B{index}"] = str(now)
            cells[f"C{index}"] = str(before)
        else:
            cells[f"B{index}"] = current
            cells[f"C{index}"] = previous
    top = PARETO_START
    cells[f"A{top}"] = '=_t("Loss reason")'
    cells[f"B{top}"] = '=_t("Tickets")'
    cells[f"C{top}"] = '=_t("Cumulative %")'
    first, last = top + 1, top + PARETO_ROWS
    for rank in range(1, PARETO_ROWS + 1):
        row = top + rank
        if sample:
            name, count = SAMPLE_REASONS[rank - 1]
            cells[f"A{row}"] = name
            cells[f"B{row}"] = str(count)
        else:
            cells[f"A{row}"] = f'=IFERROR(PIVOT.HEADER(5,"#lost_reason_id",{rank}),"")'
            cells[f"B{row}"] = (
                f'=IFERROR(PIVOT.VALUE(5,"__count","#lost_reason_id",{rank}),"")'
            )
        cells[f"C{row}"] = (
            f'=IF(B{row}="","",IFERROR(SUM(B${first}:B{row})/SUM(B${first}:B${last})*100,""))'
        )
    if sample:
        start = last + 3
        cells[f"A{start}"] = '=_t("Funnel")'
        for offset, (name, count) in enumerate(SAMPLE_FUNNEL, start=1):
            cells[f"A{start + offset}"] = name
            cells[f"B{start + offset}"] = str(count)
        col = start + len(SAMPLE_FUNNEL) + 3
        for field, rows in SAMPLE_BY.items():
            cells[f"A{col}"] = field
            for offset, (name, rate) in enumerate(rows, start=1):
                cells[f"A{col + offset}"] = name
                cells[f"B{col + offset}"] = str(rate)
            col += len(rows) + 2
    return sheet(
        "isp-data",
        "Data",
        colNumber=4,
        cols={"0": {"size": 260}, "1": {"size": 110}, "2": {"size": 110}},
        cells=cells,
        styles={"A1:C1": 1, f"A{top}:C{top}": 1},
        # counts as integers, rates and days with one decimal, money with two
        formats={
            "B2:C3": 3,
            "B4:C6": 2,
            "B7:C10": 3,
            "B11:C11": 4,
            f"B{first}:B{last}": 3,
            f"C{first}:C{last}": 2,
        },
    )


def figure(fid, x, y, width, height, data):
    data = dict(data, chartId=fid)
    return {
        "id": fid,
        "width": width,
        "height": height,
        "tag": "chart",
        "data": data,
        "offset": {"x": x, "y": y + TOP},
        "col": 0,
        "row": 0,
    }


def scorecard(fid, x, y, title, row, baseline=True, background="#EFF6FF"):
    data = {
        "type": "scorecard",
        "title": {"text": title, "bold": True, "color": "#434343"},
        "background": background,
        "keyValue": f"Data!B{row}",
        "humanize": False,
        "baselineMode": "difference" if baseline else "text",
        "baselineColorUp": "#00A04A",
        "baselineColorDown": "#DC6965",
    }
    if baseline:
        data["baseline"] = f"Data!C{row}"
        data["baselineDescr"] = {"text": "vs previous period"}
    return figure(fid, x, y, 262, 101, data)


def chart(fid, x, y, title, **data):
    base = {
        "title": {"text": title},
        "background": "#FFFFFF",
        "legendPosition": "none",
        "stacked": False,
        "aggregated": False,
    }
    return figure(fid, x, y, 540, 300, dict(base, **data))  # fmt: skip


def odoo_bar(fid, x, y, title, model, group_by, measure, date_field):
    return chart(
        fid, x, y, title, type="odoo_bar", verticalAxisPosition="left",
        dataSets=[{}], axesDesign={},
        metaData={"groupBy": [group_by], "measure": measure, "order": None,
                  "resModel": model},
        searchParams={"comparison": None, "context": {}, "domain": [],
                      "groupBy": [group_by], "orderBy": []},
        fieldMatching=matching(date_field),
    )  # fmt: skip


def range_bar(fid, x, y, title, data_range, label_range):
    return chart(
        fid, x, y, title, type="bar", dataSetsHaveTitle=False,
        dataSets=[{"dataRange": data_range, "yAxisId": "y"}], labelRange=label_range,
    )  # fmt: skip


def pareto(fid, x, y):
    first, last = PARETO_START + 1, PARETO_START + PARETO_ROWS
    return chart(
        fid, x, y, "Loss reasons (Pareto)", type="combo", legendPosition="top",
        dataSetsHaveTitle=False, axesDesign={},
        labelRange=f"Data!A{first}:A{last}",
        dataSets=[
            {"dataRange": f"Data!B{first}:B{last}", "type": "bar", "yAxisId": "y",
             "label": "Lost tickets"},
            {"dataRange": f"Data!C{first}:C{last}", "type": "line", "yAxisId": "y1",
             "label": "Cumulative %"},
        ],
    )  # fmt: skip


def dashboard_sheet(sample):
    figures = [
        scorecard("isp-new-leads", 0, 11, "New leads", 2),
        scorecard("isp-new-tickets", 272, 11, "New tickets", 3),
        scorecard("isp-win-rate", 544, 11, "Win rate (%)", 4),
        scorecard("isp-days-to-win", 816, 11, "Average days to win", 5),
        scorecard("isp-stale", 0, 122, "Stale tickets", 9, False, "#FFF7ED"),
        scorecard("isp-won", 272, 122, "Won in the period", 7, True, "#FFF7ED"),
        scorecard("isp-lost", 544, 122, "Lost in the period", 8, True, "#FFF7ED"),
        scorecard(
            "isp-no-coverage",
            816,
            122,
            "Monthly revenue lost (no coverage)",
            11,
            False,
            "#FFF7ED",
        ),
        pareto("isp-pareto", 550, 240),
    ]
    if sample:
        start = PARETO_START + PARETO_ROWS + 3
        funnel = f"Data!B{start + 1}:B{start + len(SAMPLE_FUNNEL)}"
        labels = f"Data!A{start + 1}:A{start + len(SAMPLE_FUNNEL)}"
        figures.append(range_bar("isp-funnel", 0, 240, "Funnel", funnel, labels))
        row = start + len(SAMPLE_FUNNEL) + 3
        titles = {
            "source_id": "Win rate by origin",
            "user_id": "Win rate by seller",
            "plan_product_id": "Win rate by plan",
        }
        spots = [(0, 550), (550, 550), (0, 860)]
        for (field, rows), (x, y) in zip(SAMPLE_BY.items(), spots, strict=True):
            figures.append(
                range_bar(
                    f"isp-rate-{field}",
                    x,
                    y,
                    titles[field],
                    f"Data!B{row + 1}:B{row + len(rows)}",
                    f"Data!A{row + 1}:A{row + len(rows)}",
                )
            )
            row += len(rows) + 2
    else:
        figures += [
            odoo_bar(fid, x, y, title, model, group_by, measure, date_field)
            for fid, x, y, title, model, group_by, measure, date_field in CHARTS
        ]
    return sheet(
        "isp-dashboard",
        "Dashboard",
        figures=figures,
        areGridLinesVisible=False,
        cells={"A1": f'=_t("{DEFINITION}")'},
        rows={"0": {"size": TOP}},
        merges=["A1:L1"],
        styles={"A1": 2},
    )


def spreadsheet(sample):
    return {
        "version": VERSION,
        "sheets": [dashboard_sheet(sample), data_sheet(sample)],
        "styles": {
            "1": {"bold": True, "textColor": "#434343"},
            "2": {"italic": True, "textColor": "#5F6368", "verticalAlign": "middle"},
        },
        "formats": {"2": "0.0", "3": "0", "4": "#,##0.00"},
        "borders": {},
        "revisionId": "START_REVISION",
        "uniqueFigureIds": True,
        "settings": {
            "locale": {
                "name": "English (US)",
                "code": "en_US",
                "thousandsSeparator": ",",
                "decimalSeparator": ".",
                "dateFormat": "mm/dd/yyyy",
                "timeFormat": "hh:mm:ss",
                "formulaArgSeparator": ",",
                "weekStart": 7,
            }
        },
        "pivots": {} if sample else {p["id"]: p for p in PIVOTS},
        "pivotNextId": 1 if sample else len(PIVOTS) + 1,
        "customTableStyles": {},
        "globalFilters": [] if sample else GLOBAL_FILTERS,
        "lists": {},
        "listNextId": 1,
        "chartOdooMenusReferences": {},
    }


def main():
    FILES.mkdir(parents=True, exist_ok=True)
    for name, sample in (
        ("isp_sales_dashboard.json", False),
        ("isp_sales_sample_dashboard.json", True),
    ):
        path = FILES / name
        path.write_text(
            json.dumps(spreadsheet(sample), indent=1, ensure_ascii=False) + "\n"
        )
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
