"""Files sent as downloads: always as an attachment, under a name that cannot break the header.

Every route that hands out a file (proof of a notice, a signed report, a calendar, a facts
document, a plan report or audit pack) answers through `send_download`, so that a stored name
with quotes, line breaks, folders or letters outside ASCII is sent as a plain ASCII `filename`
and the exact name as an RFC 6266 `filename*`, and the browser never renders the file itself.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import quote

from flask import Response, send_file

# RFC 5987 attr-char without "%": what a filename* value may carry unencoded.
ATTR_CHARS = "!#$&+-.^_`|~"
# What an ASCII fallback name keeps; everything else becomes "_".
PLAIN = re.compile(r"[^A-Za-z0-9 ._()+,=@-]")
LONGEST = 200


def safe_filename(filename: str, default: str = "download") -> str:
    """The name without folders, control characters, quotes or angle brackets, for display."""
    base = re.split(r"[\\/]", filename or "")[-1]
    cleaned = "".join(
        character
        for character in unicodedata.normalize("NFC", base)
        if unicodedata.category(character)[0] != "C" and character not in '"<>'
    ).strip(" .")
    return cleaned[:LONGEST] or default


def ascii_filename(filename: str, default: str = "download") -> str:
    """The safe name in ASCII: accents dropped, any other character outside a plain set as _."""
    decomposed = unicodedata.normalize("NFKD", safe_filename(filename, default))
    letters = "".join(character for character in decomposed if not unicodedata.combining(character))
    return PLAIN.sub("_", letters).strip(" .") or default


def content_disposition(filename: str, default: str = "download") -> str:
    """`attachment` with an ASCII `filename` and the UTF-8 `filename*` of the safe name."""
    exact = quote(safe_filename(filename, default), safe=ATTR_CHARS)
    return f"attachment; filename=\"{ascii_filename(filename, default)}\"; filename*=UTF-8''{exact}"


def send_download(body: bytes | Path, filename: str, mimetype: str) -> Response:
    """The file (bytes, or a path streamed from disk) as a download that is never rendered."""
    if isinstance(body, Path):
        response = send_file(body, mimetype=mimetype, max_age=0)
    else:
        response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response
