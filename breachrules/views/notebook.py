"""Jupyter views: incidents, assessments and plans as HTML, tables, timelines and maps.

Counsel and analysts often work in a notebook, where a wall of ``repr`` text hides what
matters. The functions here turn breachrules' results into what a reader scans first:

- :func:`incident_html`, :func:`assessment_html`, :func:`plan_html`: compact, escaped HTML
  tables (determinations with status colours, obligations by due date with their
  citations, the facts still missing). ``Incident``, ``Assessment`` and ``Plan`` use them
  as their ``_repr_html_``, so a bare object at the end of a cell renders as a table;
- :func:`to_dataframe`: one row per obligation, for filtering and export with pandas;
- :func:`timeline`: a matplotlib chart of due dates per jurisdiction;
- :func:`local_sweep` and :func:`threshold_map`: vary facts over ranges (as
  :func:`breachrules.scale.sweep.sweep` does on Dask) and draw where each obligation switches on.

The HTML functions need nothing beyond breachrules. pandas and matplotlib are an optional
extra (``pip install 'breachrules[notebook]'``): they are imported only inside the
functions that need them, so importing this module, and rendering HTML, never requires
them. Every string taken from an incident or a ruleset is HTML-escaped.

One module, one job: everything a notebook reader sees of breachrules. The HTML tables
and the charts share the status colours, the escaping and the optional-import guard.
"""

from __future__ import annotations

import html
import importlib
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING, Any

from breachrules.model.bindings import bind
from breachrules.model.timestamps import format_timestamp
from breachrules.views.questions import decided_by

if TYPE_CHECKING:
    from breachrules.engine import Engine
    from breachrules.model.decisions import Assessment, Obligation
    from breachrules.model.facts import Incident
    from breachrules.scale.sweep import SweepPoint
    from breachrules.views.plan import Plan

__all__ = [
    "STATUS_COLOURS",
    "assessment_html",
    "incident_html",
    "local_sweep",
    "plan_html",
    "sweep_dataframe",
    "threshold_map",
    "timeline",
    "to_dataframe",
]

#: Background colours by status (determinations and obligations), shared by the HTML
#: tables and the charts so that one colour means one thing everywhere.
STATUS_COLOURS: dict[str, str] = {
    "breach": "#f8d7da",
    "required": "#f8d7da",
    "undetermined": "#fff3cd",
    "conditional": "#fff3cd",
    "not_breach": "#d1e7dd",
    "not_required": "#e9ecef",
    "not_applicable": "#e9ecef",
}
_TEXT_COLOURS: dict[str, str] = {
    "breach": "#842029",
    "required": "#842029",
    "undetermined": "#664d03",
    "conditional": "#664d03",
    "not_breach": "#0f5132",
    "not_required": "#495057",
    "not_applicable": "#495057",
}
# Strongest first: a cell of a threshold map that covers several scenarios shows the most
# demanding status among them.
_RANK = {"required": 3, "conditional": 2, "not_required": 1}
_MAP_STATUSES = ("none", "not_required", "conditional", "required")
_MAP_COLOURS = ("#ffffff", "#ced4da", "#ffc107", "#dc3545")
_NICE_STEPS = [m * 10**e for e in range(7) for m in (1, 2, 5)] + [10**9]

_STYLE = (
    "<style>"
    ".brx{font-family:system-ui,sans-serif;font-size:12px;line-height:1.35}"
    ".brx table{border-collapse:collapse;margin:4px 0 10px 0}"
    ".brx th,.brx td{border:1px solid #dee2e6;padding:2px 6px;text-align:left;"
    "vertical-align:top}"
    ".brx th{background:#f8f9fa}"
    ".brx .st{border-radius:3px;padding:0 4px;white-space:nowrap}"
    ".brx .muted{color:#6c757d}"
    ".brx h4{margin:6px 0 2px 0;font-size:13px}"
    "</style>"
)

_EXTRA_HINT = "pip install 'breachrules[notebook]'"


def _e(value: object) -> str:
    """Escape anything for HTML text and attributes (None renders as an empty string)."""
    return "" if value is None else html.escape(str(value), quote=True)


def _when(moment: datetime | None, empty: str = "") -> str:
    return format_timestamp(moment) if moment is not None else empty


def _badge(status: str) -> str:
    bg = STATUS_COLOURS.get(status, "#ffffff")
    fg = _TEXT_COLOURS.get(status, "#212529")
    return f'<span class="st" style="background:{bg};color:{fg}">{_e(status)}</span>'


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """An HTML table; ``rows`` cells are already-escaped HTML, the header is escaped here."""
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _join(items: Iterable[object], sep: str = ", ") -> str:
    return sep.join(_e(i) for i in items)


def _figure(**kwargs: Any) -> Any:
    """A ``matplotlib.figure.Figure`` that Jupyter can always show.

    Figures are built without pyplot (no window, no global figure, no second copy drawn at
    the end of a cell). Jupyter registers its own image display of figures only once
    pyplot has chosen a backend, so each figure also carries a ``_repr_png_`` of its own;
    when Jupyter's display is registered, it takes precedence (and honours the user's
    ``InlineBackend`` settings).
    """
    figure = _require("matplotlib.figure").Figure(**kwargs)

    def png() -> bytes:
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
        return buffer.getvalue()

    figure._repr_png_ = png
    return figure


def _require(module: str) -> Any:
    """Import an optional dependency, or say exactly which extra provides it."""
    try:
        found: ModuleType = importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        raise ImportError(
            f"this breachrules.views.notebook function needs {top}: {_EXTRA_HINT}"
        ) from exc
    # Held as Any: pandas ships no type hints and matplotlib's are partial.
    return found


def incident_html(incident: Incident) -> str:
    """The incident's facts as HTML: parties, exposures by residence, risk and timeline.

    Shown first in a notebook so the reader sees what the assessment was given, including
    which facts are still unknown (rendered as "unknown", never as false).
    """
    unknown = '<span class="muted">unknown</span>'

    def fact(value: object) -> str:
        if value is None:
            return unknown
        return _e(str(value).lower() if isinstance(value, bool) else value)

    parts = [
        _STYLE,
        '<div class="brx">',
        f"<h4>Incident {_e(incident.id)}</h4>",
    ]
    if incident.title:
        parts.append(f"<div>{_e(incident.title)}</div>")
    clocks = [
        ("occurred", incident.occurred_at),
        ("discovered", incident.discovered_at),
        ("breach determined", incident.breach_determined_at),
    ]
    parts.append(
        "<div>"
        + "; ".join(f"{_e(name)}: {_e(_when(at)) or unknown}" for name, at in clocks)
        + "</div>"
    )
    parts.append(
        _table(
            ["party", "role", "serves", "types", "established in"],
            [
                [
                    _e(p.name or p.id) + (" (breached)" if p.id == incident.breached.id else ""),
                    _e(p.data_role),
                    _e(p.serves),
                    _join(p.types),
                    _join(p.established_in),
                ]
                for p in incident.parties
            ],
        )
    )
    rows = []
    for n, x in enumerate(incident.exposures):
        places = sorted(x.residents.items(), key=lambda kv: (-kv[1], kv[0]))
        shown = ", ".join(f"{_e(code)}: {count:,}" for code, count in places[:8])
        if len(places) > 8:
            rest = sum(count for _, count in places[8:])
            shown += f", … {len(places) - 8} more ({rest:,})"
        rows.append(
            [
                str(n),
                _e(x.description),
                _join(x.elements),
                f"{sum(x.residents.values()):,}",
                shown,
                fact(x.encrypted),
                fact(x.key_compromised),
                fact(x.acquired),
            ]
        )
    parts.append(
        _table(
            [
                "#",
                "exposure",
                "elements",
                "people",
                "residents",
                "encrypted",
                "key compromised",
                "acquired",
            ],
            rows,
        )
    )
    parts.append(
        "<div>risk: harm likely "
        + fact(incident.risk.harm_likely)
        + "; GDPR risk "
        + fact(incident.risk.gdpr_risk)
        + "; good-faith insider "
        + fact(incident.good_faith_insider)
        + "; malicious "
        + fact(incident.malicious)
        + "</div>"
    )
    parts.append("</div>")
    return "".join(parts)


def _by_due(obligations: Iterable[Obligation]) -> list[Obligation]:
    """Dated obligations first, earliest first; then those owed "without delay"."""
    return sorted(
        obligations,
        key=lambda o: (o.due is None, o.due.timestamp() if o.due else 0.0, o.id),
    )


def assessment_html(assessment: Assessment) -> str:
    """The assessment as HTML: determinations, live obligations by due date, missing facts.

    Obligations that are not required are folded away (``<details>``) so the table shows
    what must be done first; each row keeps its statutory citation so a reader can check it.
    """
    counts: dict[str, int] = {}
    for d in assessment.determinations:
        counts[d.status] = counts.get(d.status, 0) + 1
    summary = ", ".join(f"{_badge(s)} {n}" for s, n in sorted(counts.items()))
    parts = [
        _STYLE,
        '<div class="brx">',
        f"<h4>Assessment of {_e(assessment.incident_id)} as of {_e(_when(assessment.as_of))}</h4>",
        f"<div>{len(assessment.determinations)} jurisdictions: {summary or '-'}</div>",
    ]
    for w in assessment.warnings:
        parts.append(f'<div class="muted">warning: {_e(w)}</div>')

    det_rows = []
    order = {"breach": 0, "undetermined": 1, "not_breach": 2, "not_applicable": 3}
    for d in sorted(assessment.determinations, key=lambda d: (order[d.status], d.jurisdiction)):
        cites = list(dict.fromkeys(r.citation for r in d.reasons if r.citation))
        det_rows.append(
            [
                _e(d.jurisdiction),
                _badge(d.status),
                _join(d.missing_facts),
                _join(cites[:3], "; ") + (" …" if len(cites) > 3 else ""),
            ]
        )
    parts.append("<h4>Determinations</h4>")
    parts.append(_table(["jurisdiction", "status", "missing facts", "citations"], det_rows))

    def ob_rows(obligations: Iterable[Obligation]) -> list[list[str]]:
        rows = []
        for o in _by_due(obligations):
            due = _e(_when(o.due)) or '<span class="muted">no fixed date</span>'
            if o.overdue:
                due += " <b>overdue</b>"
            who = _e(o.party) + (f" (sent by {_e(o.performed_by)})" if o.performed_by else "")
            rows.append(
                [
                    due,
                    _badge(o.status),
                    _e(o.id),
                    who,
                    _e(o.addressee)  # the one name every view gives the recipient
                    if o.kind == "notice"
                    else f"<i>{_e(o.kind)} kept by the party, not a notice</i>",
                    _e(o.basis),
                    _e(o.deadline.text),
                    _join(o.missing_facts),
                ]
            )
        return rows

    header = [
        "due",
        "status",
        "obligation",
        "party",
        "recipient",
        "basis",
        "deadline",
        "missing facts",
    ]
    live = [o for o in assessment.obligations if o.status != "not_required"]
    idle = [o for o in assessment.obligations if o.status == "not_required"]
    parts.append(f"<h4>Obligations ({len(live)} required or conditional)</h4>")
    parts.append(_table(header, ob_rows(live)))
    if idle:
        parts.append(
            f"<details><summary>{len(idle)} not required</summary>"
            + _table(header, ob_rows(idle))
            + "</details>"
        )
    missing = decided_by(assessment)
    if missing:
        parts.append("<h4>Missing facts</h4>")
        parts.append(
            _table(
                ["fact", "decides"],
                [[_e(m), _join(v)] for m, v in sorted(missing.items())],
            )
        )
    parts.append("</div>")
    return "".join(parts)


def plan_html(plan: Plan) -> str:
    """The notification plan as HTML: one row per action (one letter may serve many laws).

    This is the working list of a response team, so it keeps the plan's order (by due
    time) and shows what each action still waits on.
    """
    rows = []
    for n, a in enumerate(plan.actions, start=1):
        due = _e(_when(a.due)) or '<span class="muted">asap</span>'
        if a.sent_at is not None:  # done: sent, late if after its due time (UT11 1)
            due += f" sent {_e(_when(a.sent_at))}" + (" <b>(late)</b>" if a.overdue else "")
        elif a.overdue:
            due += " <b>overdue</b>"
        rows.append(
            [
                str(n),
                due,
                _badge(a.status),
                _e(a.party),
                _e(a.title),
                _join(a.jurisdictions),
                _join(a.bases, "; "),
                _join(a.waits_on),
                _join(a.notes, "<br>"),
            ]
        )
    return "".join(
        [
            _STYLE,
            '<div class="brx">',
            f"<h4>Notification plan for {_e(plan.incident_id)} as of "
            f"{_e(_when(plan.as_of))}: {len(plan.actions)} actions</h4>",
            _table(
                ["#", "due", "status", "party", "action", "for", "basis", "waits on", "notes"],
                rows,
            ),
            "</div>",
        ]
    )


def to_dataframe(assessment: Assessment | Iterable[SweepPoint]) -> Any:
    """One row per obligation, ordered by due date, as a ``pandas.DataFrame``; or, given
    the points of a sweep (:func:`local_sweep`, :func:`breachrules.scale.sweep.sweep`), one row
    per scenario (see :func:`sweep_dataframe`).

    For filtering, grouping and export (``df.to_excel``) in the tools analysts already
    use. ``due`` is a UTC timestamp (``NaT`` when the law sets no fixed period) so that
    dates from different offsets sort and plot together; ``due_local`` keeps the due time
    as the law reckons it, with its offset. Lists are joined with " | ", as in the plan's
    CSV. Needs pandas: ``pip install 'breachrules[notebook]'``.
    """
    pd = _require("pandas")
    from breachrules.model.decisions import Assessment as _Assessment

    if not isinstance(assessment, _Assessment):
        return sweep_dataframe(assessment)
    rows = [
        {
            "id": o.id,
            "jurisdiction": o.jurisdiction,
            "party": o.party,
            "recipient": o.recipient,
            "recipient_name": o.recipient_name or o.recipient_party,
            "kind": o.kind,
            "status": o.status,
            "due": o.due,
            "due_local": _when(o.due) or None,
            "overdue": o.overdue,
            "deadline": o.deadline.text,
            "basis": o.basis,
            "missing_facts": " | ".join(o.missing_facts),
            "content_requirements": " | ".join(o.content_requirements),
            "performed_by": o.performed_by,
        }
        for o in _by_due(assessment.obligations)
    ]
    columns = [
        "id",
        "jurisdiction",
        "party",
        "recipient",
        "recipient_name",
        "kind",
        "status",
        "due",
        "due_local",
        "overdue",
        "deadline",
        "basis",
        "missing_facts",
        "content_requirements",
        "performed_by",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame["due"] = pd.to_datetime(frame["due"], utc=True)
    return frame


def sweep_dataframe(points: Iterable[SweepPoint]) -> Any:
    """The points of a sweep as a ``pandas.DataFrame``: one row per scenario.

    A column per varied fact path (the value tried), then one per jurisdiction (its
    determination) and one per obligation id (its status; empty where the scenario has no
    such obligation, e.g. the law did not reach it). So a threshold is a ``groupby`` or a
    ``pivot_table`` away: ``df.groupby("exposures[0].residents.US-CA")["US-CA:notify-ag"]``.
    Points made without their paths (by hand) name the value columns ``value_0``, ....
    """
    from breachrules.scale.sweep import SweepPoint as _SweepPoint

    pd = _require("pandas")
    points = list(points)
    wrong = next((p for p in points if not isinstance(p, _SweepPoint)), None)
    if wrong is not None:
        raise TypeError(
            "to_dataframe takes an Assessment or the SweepPoints of a sweep, "
            f"not {type(wrong).__name__}"
        )
    width = max((len(p.values) for p in points), default=0)
    named = next((p.paths for p in points if p.paths), ())
    values = list(named) if len(named) == width else [f"value_{i}" for i in range(width)]
    codes = list(dict.fromkeys(c for p in points for c in p.determinations))
    ids = list(dict.fromkeys(i for p in points for i in p.obligations))
    rows = [
        {
            **dict(zip(values, p.values, strict=True)),
            **{c: p.determinations.get(c) for c in codes},
            **{i: p.obligations.get(i) for i in ids},
        }
        for p in points
    ]
    return pd.DataFrame(rows, columns=[*values, *codes, *ids])


def timeline(
    assessment: Assessment,
    statuses: Iterable[str] = ("required", "conditional"),
) -> Any:
    """A ``matplotlib.figure.Figure``: each obligation's due date, one row per jurisdiction.

    Deadlines from many laws fall on different days; seeing them on one axis shows which
    notice is owed first and which clusters can share a letter. Obligations with no fixed
    period ("without unreasonable delay") are drawn at the assessment's ``as_of`` as
    hollow markers, since they are owed now. Only ``statuses`` are drawn (by default the
    live ones). Built without pyplot, so it opens no window and leaks no global figure.
    Needs matplotlib: ``pip install 'breachrules[notebook]'``.
    """
    dates = _require("matplotlib.dates")
    lines = _require("matplotlib.lines")
    wanted = set(statuses)
    shown = [o for o in assessment.obligations if o.status in wanted]
    codes = sorted({o.jurisdiction for o in shown}, reverse=True)
    row = {c: n for n, c in enumerate(codes)}
    fig = _figure(figsize=(9, max(2.0, 0.28 * len(codes) + 1.2)), layout="constrained")
    ax = fig.add_subplot()
    as_of = assessment.as_of
    for o in shown:
        colour = _MAP_COLOURS[_MAP_STATUSES.index(o.status)]
        when = o.due if o.due is not None else as_of
        ax.plot(
            [when],
            [row[o.jurisdiction]],
            marker="o",
            markersize=6,
            linestyle="none",
            markerfacecolor=colour if o.due is not None else "none",
            markeredgecolor=colour if o.due is not None else "#6c757d",
        )
    ax.axvline(as_of, color="#6c757d", linewidth=0.8, linestyle="--")
    ax.set_yticks(range(len(codes)), codes)
    ax.set_ylim(-0.7, max(len(codes), 1) - 0.3)
    locator = dates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator))
    ax.grid(axis="x", color="#e9ecef")
    ax.set_title(f"Due dates for {assessment.incident_id} (as of {format_timestamp(as_of)})")
    handles = [
        lines.Line2D([], [], marker="o", linestyle="none", color=_MAP_COLOURS[3], label="required"),
        lines.Line2D(
            [], [], marker="o", linestyle="none", color=_MAP_COLOURS[2], label="conditional"
        ),
        lines.Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markerfacecolor="none",
            markeredgecolor="#6c757d",
            label="no fixed period (owed now)",
        ),
        lines.Line2D([], [], color="#6c757d", linestyle="--", label="as of"),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    if not shown:
        ax.text(0.5, 0.5, "no obligations to show", transform=ax.transAxes, ha="center")
    return fig


def local_sweep(
    engine: Engine,
    incident: Incident | Mapping[str, Any],
    vary: Mapping[str, Iterable[Any]],
    jurisdictions: Iterable[str] | None = None,
) -> list[SweepPoint]:
    """:func:`breachrules.scale.sweep.sweep` in this process, without Dask.

    The same scenarios, the same way: counts of affected people are assessed once per
    class between breakpoints (see :mod:`breachrules.scale.sweep`), every other value one
    by one, on an engine the caller already built, so a million counts along one path take
    seconds, not hours. The result is the same as ``sweep``'s: one
    :class:`~breachrules.scale.sweep.SweepPoint` per combination of ``vary``, in
    ``itertools.product`` order.
    """
    from breachrules.model.facts import Incident as _Incident
    from breachrules.scale.sweep import evaluate_scenarios

    base = incident.to_dict() if isinstance(incident, _Incident) else dict(incident)
    # A range stays a range: its values are computed, not listed.
    grid: dict[str, Sequence[Any]] = {
        path: values if isinstance(values, range) else list(values) for path, values in vary.items()
    }
    total = 1
    for values in grid.values():
        total *= len(values)
    codes = list(jurisdictions) if jurisdictions is not None else None
    points: list[SweepPoint] = evaluate_scenarios(engine, base, grid, range(total), codes)
    return points


def _strongest(statuses: Iterable[str | None]) -> str:
    best = "none"
    for s in statuses:
        if s is not None and _RANK.get(s, 0) > _RANK.get(best, 0):
            best = s
    return best


def _axis(points: Sequence[SweepPoint], index: int) -> list[Any]:
    """The distinct values at ``index``, sorted when they are numbers, else as first seen."""
    seen = list(dict.fromkeys(p.values[index] for p in points))
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in seen):
        return sorted(seen)
    return seen


def _ticks(ax: Any, axis: str, values: Sequence[Any]) -> None:
    """Label at most about a dozen cells (at their centres) so a long range stays legible."""
    step = next(s for s in _NICE_STEPS if s * 12 >= len(values))
    picks = list(range(0, len(values), step))
    labels = [str(values[i]) for i in picks]
    centres = [i + 0.5 for i in picks]
    if axis == "x":
        ax.set_xticks(centres, labels)
    else:
        ax.set_yticks(centres, labels)


def _switches(values: Sequence[Any], statuses: Sequence[str]) -> str:
    """Where, along one axis, an obligation's status changes ("required from 501")."""
    changes = [
        f"{statuses[i]} from {values[i]}"
        for i in range(1, len(values))
        if statuses[i] != statuses[i - 1]
    ]
    if changes:
        return "; ".join(changes)
    return f"always {statuses[0]}" if statuses else ""


def threshold_map(
    points: Sequence[SweepPoint],
    x: int,
    y: int | None = None,
    *,
    obligations: Iterable[str] | None = None,
    labels: Sequence[str] | None = None,
) -> Any:
    """A ``matplotlib.figure.Figure`` showing where each obligation switches on.

    ``points`` is the output of :func:`breachrules.scale.sweep.sweep` or :func:`local_sweep`;
    ``x`` (and ``y``) are positions in each point's ``values``, that is, the order of the
    keys of ``vary``. With ``x`` alone, each obligation is a strip along ``x``; with ``y``
    too, each obligation is a panel over the ``x`` by ``y`` grid. Thresholds in statutes
    (more than 500 residents, harm likely or not) are easier to check as a picture than as
    a table of hundreds of scenarios.

    ``obligations`` selects the ids to draw; by default, those whose status is not the same
    in every scenario. A cell that covers several scenarios (facts varied but not on an
    axis) shows the most demanding status among them. An obligation absent from a scenario
    (no breach, or the law does not reach it) is drawn as "none". ``labels`` names the
    varied facts for the axes, e.g. ``list(vary)``. Values on an axis must be hashable
    (numbers, strings, booleans, None); numbers are sorted, other values keep the order in
    which they were tried. Needs matplotlib:
    ``pip install 'breachrules[notebook]'``.
    """
    if not points:
        raise ValueError("threshold_map needs at least one SweepPoint")
    width = len(points[0].values)
    for axis_index in (x, y):
        if axis_index is not None and not 0 <= axis_index < width:
            raise ValueError(f"axis {axis_index} is not a position in values (0..{width - 1})")
    colors = _require("matplotlib.colors")
    patches = _require("matplotlib.patches")
    cmap = colors.ListedColormap(list(_MAP_COLOURS))
    norm = colors.BoundaryNorm([-0.5, 0.5, 1.5, 2.5, 3.5], cmap.N)

    every = list(dict.fromkeys(k for p in points for k in p.obligations))
    if obligations is None:
        chosen = [k for k in every if len({p.obligations.get(k) for p in points}) > 1] or every
    else:
        chosen = list(obligations)

    def name(index: int) -> str:
        return labels[index] if labels is not None and index < len(labels) else f"values[{index}]"

    xs = _axis(points, x)
    xpos = {v: n for n, v in enumerate(xs)}
    ys = _axis(points, y) if y is not None else [None]
    ypos = {v: n for n, v in enumerate(ys)}
    cells: dict[str, list[list[list[str | None]]]] = {
        k: [[[] for _ in xs] for _ in ys] for k in chosen
    }
    for p in points:
        col = xpos[p.values[x]]
        line = ypos[p.values[y]] if y is not None else 0
        for k in chosen:
            cells[k][line][col].append(p.obligations.get(k))

    fig: Any
    if y is None:
        fig = _figure(figsize=(9, 0.45 * max(len(chosen), 1) + 1.3), layout="constrained")
        ax = fig.add_subplot()
        grid = [[_MAP_STATUSES.index(_strongest(c)) for c in cells[k][0]] for k in chosen]
        ax.pcolormesh(grid or [[0] * len(xs)], cmap=cmap, norm=norm)
        _ticks(ax, "x", xs)
        ax.set_yticks(
            [n + 0.5 for n in range(len(chosen))],
            [
                f"{k}: {_switches(xs, [_MAP_STATUSES[v] for v in row])}"
                for k, row in zip(chosen, grid, strict=True)
            ],
        )
        ax.invert_yaxis()
        ax.set_xlabel(name(x))
    else:
        columns = min(2, max(len(chosen), 1))
        rows = (max(len(chosen), 1) + columns - 1) // columns
        fig = _figure(figsize=(5 * columns + 1, 2.6 * rows + 0.8), layout="constrained")
        for n, k in enumerate(chosen or ["(no obligations)"]):
            ax = fig.add_subplot(rows, columns, n + 1)
            grid = [
                [_MAP_STATUSES.index(_strongest(c)) for c in line]
                for line in cells.get(k, [[[] for _ in xs] for _ in ys])
            ]
            ax.pcolormesh(grid, cmap=cmap, norm=norm)
            _ticks(ax, "x", xs)
            _ticks(ax, "y", ys)
            ax.set_title(k, fontsize=9)
            ax.set_xlabel(name(x), fontsize=8)
            ax.set_ylabel(name(y), fontsize=8)
    fig.legend(
        handles=[
            patches.Patch(facecolor=c, edgecolor="#adb5bd", label=s)
            for s, c in zip(_MAP_STATUSES, _MAP_COLOURS, strict=True)
        ],
        loc="outside lower center",
        ncols=4,
        fontsize=8,
    )
    return fig


bind("assessment._repr_html_", assessment_html)
bind("incident._repr_html_", incident_html)
