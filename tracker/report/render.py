"""Templates to HTML, HTML to PDF: WeasyPrint with local resources only.

Reports are rendered from templates/report/. Stylesheets and images may only come from
the templates folder (or data: URLs); anything else, and any http or https address,
stops the rendering, so a report never depends on the network or leaks a request.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, Undefined, select_autoescape
from weasyprint import CSS, HTML, Attachment
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from ..errors import ConfigError, TrackerError
from ..resources import data_path

log = logging.getLogger(__name__)

PAPER_SIZES = {"A4": "A4", "Letter": "letter"}


class RenderError(TrackerError):
    """A report that could not be rendered to PDF."""

    status_code = 500


@dataclass(frozen=True)
class EmbeddedFile:
    """A file carried inside the PDF, such as the facts document."""

    name: str
    data: bytes
    description: str


class LocalFetcher(URLFetcher):
    """Fetch data: URLs and files under the templates folder; refuse everything else."""

    def __init__(self, roots: Sequence[Path]) -> None:
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
        self._roots = [root.resolve() for root in roots]

    def fetch(self, url: str, headers: Any = None) -> Any:
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            if not any(path.is_relative_to(root) for root in self._roots):
                raise ValueError(f"The report resource {url} is outside the templates folder.")
        elif parsed.scheme != "data":
            raise ValueError(f"The report resource {url} is not local; only files are used.")
        return super().fetch(url, headers)


def templates_folder() -> Path:
    return data_path("templates")


@cache
def environment() -> Environment:
    """The Jinja environment for reports, with the filters the templates use."""
    env = Environment(
        loader=FileSystemLoader(str(templates_folder())),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["instant"] = format_instant
    env.filters["utc"] = lambda value: format_instant(value, "UTC")
    env.filters["duration"] = format_duration
    return env


def render_html(template: str, context: Mapping[str, Any]) -> str:
    """Render a report template to HTML text."""
    return environment().get_template(template).render(**context)


def html_to_pdf(html: str, *, paper: str = "A4", attachments: Sequence[EmbeddedFile] = ()) -> bytes:
    """Lay out the HTML on pages of the given paper and return the PDF bytes."""
    fetcher = LocalFetcher([templates_folder()])
    page = CSS(string=f"@page {{ size: {paper_size(paper)}; }}", url_fetcher=fetcher)

    try:
        document = HTML(
            string=html, base_url=str(templates_folder() / "report") + "/", url_fetcher=fetcher
        ).render(stylesheets=[page])
        return document.write_pdf(attachments=[_attachment(item) for item in attachments])
    except FatalURLFetchingError as exc:
        cause = exc.__cause__ or exc
        raise RenderError(f"The report could not be rendered: {cause}") from None


def paper_size(paper: str) -> str:
    """The CSS page size for TRACKER_PAPER, or a ConfigError naming what is accepted."""
    try:
        return PAPER_SIZES[paper]
    except KeyError:
        raise ConfigError(
            f"The setting TRACKER_PAPER must be A4 or Letter, not {paper!r}."
        ) from None


def format_duration(duration: timedelta) -> str:
    """A duration in days, hours and minutes, as the incident pages write it."""
    from ..incident.display import format_duration as incident_duration

    return incident_duration(duration)


def format_instant(value: datetime | str | Undefined | None, zone: str) -> str:
    """An instant as `2026-03-09 15:00 EDT` in the given IANA zone; empty when unknown."""
    if not value:  # None, "" or a field the record does not have
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    local = value.astimezone(ZoneInfo(zone))
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def _attachment(item: EmbeddedFile) -> Attachment:
    return Attachment(
        string=item.data,
        name=item.name,
        description=item.description,
        relationship="Data",
    )
