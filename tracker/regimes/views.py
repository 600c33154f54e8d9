"""The regimes pages: every rule file with its citation, sources, last review and versions.

Read-only pages for every signed-in role; the content comes from the rulebook that the engine
loads once per process, so the pages always show the law the dates are computed from.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, render_template
from flask.typing import ResponseReturnValue

from ..auth.permissions import require_permission
from ..deadline import load_rulebook
from ..deadline.regimes_doc import versions
from ..errors import NotFound

log = logging.getLogger(__name__)

bp = Blueprint("regimes", __name__, url_prefix="/regimes")

KIND_LABELS = {
    "us-state": "US state",
    "us-territory": "US territory",
    "us-federal": "US federal",
    "us-sectoral": "US sector regulator",
    "eu": "European Union",
    "uk": "United Kingdom",
    "national": "National law",
    "subnational": "Province or region",
    "card-brand": "Card brand (contractual)",
    "policy": "Organisation policy (not law)",
}


def init_app(app: Flask) -> None:
    """Register the regimes pages and their navigation entry."""
    from ..web import add_nav

    app.register_blueprint(bp)
    add_nav(app, "regimes.index", "Regimes")


@bp.get("")
@require_permission("incident.read")
def index() -> ResponseReturnValue:
    regimes = load_rulebook().regimes
    return render_template(
        "regimes/index.html", regimes=regimes, versions=versions, kinds=KIND_LABELS
    )


@bp.get("/<regime_id>")
@require_permission("incident.read")
def show(regime_id: str) -> ResponseReturnValue:
    try:
        regime = load_rulebook().regime(regime_id)
    except KeyError:
        raise NotFound(f"There is no regime with the id {regime_id!r}.") from None
    return render_template(
        "regimes/show.html",
        regime=regime,
        history=regime.history(),
        versions=versions(regime),
        kinds=KIND_LABELS,
    )
