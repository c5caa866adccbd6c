"""数据 Data: every current value in a filterable, sortable grid with its provenance, and export
of the filtered rows to CSV and XLSX (cells that a spreadsheet would run as a formula neutralised)."""
from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from dashboard import auth
from dashboard import components as c
from dashboard import data
from dashboard import views as v
from dashboard.callbacks import export_callback, page_callback
from dashboard.i18n import fmt_basis, norm_lang, page_words, parse_query, pick, t
from etl.wording.times import fmt_time

dash.register_page(__name__, path="/data", order=6, **page_words("nav.data"))

ALL = "all"
# (field, column key) in the order the grid and the exports show them
COLUMNS = [
    ("indicator", "col.indicator"), ("region", "col.region"), ("period", "col.period"),
    ("basis", "col.basis"), ("value", "col.value"), ("unit", "col.unit"), ("kind", "col.kind"),
    ("notes", "col.notes"),
    ("version", "col.version"), ("batch_id", "col.batch"), ("file_name", "col.file"),
    ("sheet", "col.sheet"), ("cell", "col.cell"), ("loaded_by", "col.loaded_by"),
    ("loaded_at", "col.loaded_at_local"), ("source", "col.source"),
]


def grid_rows(indicator: str | None, region: str | None, lang: str,
              names: bool = True) -> list[dict]:
    """The grid's rows; names=False (a visitor without an account, PUBLIC_VIEWING) leaves out who
    loaded each value: a user name is not for the public."""
    rows = data.current_rows(None if indicator in (None, ALL) else indicator,
                             None if region in (None, ALL) else region)
    return format_rows(rows, lang, names)


def format_rows(rows: list[dict], lang: str, names: bool = True) -> list[dict]:
    """Store rows (queries.current_observations / current_page) as the grid shows them."""
    indicators = data.indicators()
    out = []
    for r in rows:
        meta = indicators.get(r["indicator_code"], {})
        out.append({
            "key": row_key(r),  # not a column: the export finds the value on the server by it
            "indicator": pick(r["indicator_zh"], r["indicator_en"], lang),
            "region": pick(r["region_zh"], r["region_en"], lang),
            "period": pick(r["period_zh"], r["period_en"], lang),
            "basis": fmt_basis(r["basis"], lang, period=r, kind=r.get("kind")),
            "value": r["value"],
            "unit": r["unit"] if lang == "zh" else meta.get("unit_en", r["unit"]),
            "kind": value_kind(r, lang),
            "notes": r.get("notes") or "",
            "version": r["version"], "batch_id": r["batch_id"], "file_name": r["file_name"],
            "sheet": r["sheet"], "cell": r["cell"], "loaded_by": r["loaded_by"] if names else "",
            "loaded_at": fmt_time(r.get("loaded_at")) or None,
            "source": ((t("demo.banner", lang) + " · ") if r.get("is_demo") else "")
            + (data.row_source(r) or pick(meta.get("source_zh"), meta.get("source_en"), lang)),
        })
    return out


def row_key(row: dict) -> str:
    """The key of a current value (indicator, region, year, quarter, basis): one row per key."""
    return "|".join(str(row[k]) for k in ("indicator_code", "region_code", "year", "quarter", "basis"))


def value_kind(row: dict, lang: str) -> str:
    """Generated for the demo, a published figure with its source (data/reference), or uploaded:
    the banner says that the demo mixes the first two; this column tells them apart."""
    if row.get("is_demo"):
        return t("kind.demo", lang)
    if row.get("is_reference"):
        return t("kind.reference", lang)
    return t("kind.uploaded", lang)


def column_defs(lang: str) -> list[dict]:
    defs = []
    for field, key in COLUMNS:
        col = {"field": field, "headerName": t(key, lang)}
        if field in ("value", "version", "batch_id"):
            col["filter"] = "agNumberColumnFilter"
            col["type"] = "rightAligned"
        if field == "value":  # 986,515.2: thousands grouped, decimals as stored (up to 4)
            col["valueFormatter"] = {"function": "d3.format(',.4~f')(params.value)"}
        else:
            col["filter"] = "agTextColumnFilter"
        if field in ("indicator", "file_name", "source"):
            col["minWidth"] = 200
        defs.append(col)
    return defs


def layout(lang: str = "zh", indicator: str | None = None, region: str | None = None, **query):
    """Signed-in users see who loaded each value; anonymous visitors do not (cached apart)."""
    return grid_page(lang=lang, indicator=indicator, region=region,
                     names=auth.current_role() != auth.ANONYMOUS, **query)


@data.cached_page
def grid_page(lang: str = "zh", indicator: str | None = None, region: str | None = None,
              names: bool = True, **_query):
    lang = norm_lang(lang)
    indicators = data.indicators()
    regions = data.regions()
    indicator = indicator if indicator in indicators else ALL
    region = region if region in regions else ALL
    # up to GRID_LIMIT rows: all sent at once, filtered and sorted in the browser; more: the
    # grid asks the server for them block by block (ag-grid's infinite row model, keyset paging)
    paged = data.grid_size(*(None if x == ALL else x for x in (indicator, region))) > data.GRID_LIMIT
    rows = [] if paged else grid_rows(indicator, region, lang, names)
    all_label = t("data.all", lang)
    return html.Div([
        c.page_header(t("data.title", lang), t("data.hint", lang)),
        c.controls_row(
            c.url_dropdown("indicator", t("ctl.indicator", lang),
                           [{"label": all_label, "value": ALL}]
                           + v.indicator_options(list(indicators), lang), indicator, lang=lang),
            c.url_dropdown("region", t("chart.region", lang),
                           [{"label": all_label, "value": ALL}]
                           + v.region_options(lang, short=False), region, lang=lang),
        ),
        html.Div([
            dbc.Button(t("data.export_csv", lang), id="export-csv", color="primary", size="sm",
                       className="me-2 mb-2"),
            dbc.Button(t("data.export_xlsx", lang), id="export-xlsx", color="primary", size="sm",
                       outline=True, className="me-2 mb-2"),
            html.Span(t("data.paged", lang) if paged else t("data.rows", lang, n=len(rows)),
                      className="small text-muted", id="data-row-count"),
            dcc.Download(id="download-export"),
        ]),
        dag.AgGrid(
            id="data-grid",
            className=c.grid_class(lang),
            columnDefs=column_defs(lang),
            defaultColDef={"sortable": not paged, "resizable": True, "floatingFilter": not paged,
                           "filter": not paged, "minWidth": 110},
            dashGridOptions={"pagination": True, "paginationPageSize": 50,
                             "localeText": c.grid_locale(lang),
                             **({"cacheBlockSize": PAGE_ROWS, "maxBlocksInCache": 20} if paged else {})},
            columnSize="autoSize",
            style={"height": "70vh", "width": "100%"},
            **({"rowModelType": "infinite"} if paged else {"rowData": rows}),
        ),
    ], id="page-data")




PAGE_ROWS = 100  # rows per block of the server-paged grid
EXPORT_LIMIT = 200_000  # rows an export of a server-paged grid takes


def grid_filters(search: str | None) -> tuple[str, str | None, str | None]:
    """(lang, indicator, region) of the page's URL, None for all."""
    query = parse_query(search)
    indicators, regions = data.indicators(), data.regions()
    indicator, region = query.get("indicator"), query.get("region")
    return (norm_lang(query.get("lang")), indicator if indicator in indicators else None,
            region if region in regions else None)


@page_callback(
    Output("data-grid", "getRowsResponse"),
    Input("data-grid", "getRowsRequest"),
    State("url", "search"),
    prevent_initial_call=True,
)
def grid_block(request, search):
    """A block of the server-paged grid: ag-grid's infinite row model asks for rows start..end;
    the row count stays unknown (-1, "more") until the last block is served."""
    if not request:
        return dash.no_update
    lang, indicator, region = grid_filters(search)
    start, end = int(request.get("startRow", 0)), int(request.get("endRow", PAGE_ROWS))
    rows, last = data.grid_block(indicator, region, start, min(end, start + 10 * PAGE_ROWS))
    names = auth.current_role() != auth.ANONYMOUS
    return {"rowData": format_rows(rows, lang, names), "rowCount": start + len(rows) if last else -1}


@export_callback("download-export", "export-csv", "export-xlsx",
                 State("data-grid", "virtualRowData"), State("url", "search"))
def export_filtered(fmt, shown, search=None):
    """The rows the grid shows after the user's filters and sort, as a file; for a server-paged
    grid, the rows of the chosen indicator and region (up to EXPORT_LIMIT).

    Every value is read again on the server: the browser only says which rows it shows and in which
    order (their keys), so a file named after the system never carries what a browser made up, and
    visitors without an account get no user names whatever they send."""
    lang, indicator, region = grid_filters(search)
    names = auth.current_role() != auth.ANONYMOUS
    if data.grid_size(indicator, region) > data.GRID_LIMIT:  # decided here, not by the browser
        rows = format_rows(data.grid_block(indicator, region, 0, EXPORT_LIMIT)[0], lang, names)
    else:
        rows = c.grid_shown(grid_rows(indicator, region, lang, names), shown)
    content = data.export_table(*c.export_cells(COLUMNS, rows, lang), fmt)
    filename = f"digital-longjiang-data.{fmt}"
    if fmt == "csv":
        return dcc.send_bytes(content, filename, type="text/csv")
    return dcc.send_bytes(content, filename,
                          type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

