"""Static files: cached for a year, and their URLs change whenever their content does."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from app import ROOT
from app.static_files import version


def test_pages_link_versioned_static_files_that_are_cached_for_a_year(client) -> None:
    html = client.get("/portal/").get_data(as_text=True)
    match = re.search(r'href="(/static/css/portal\.css\?v=([0-9a-f]{12}))"', html)
    assert match, html
    content = (ROOT / "static" / "css" / "portal.css").read_bytes()
    assert match.group(2) == hashlib.sha256(content).hexdigest()[:12]
    response = client.get(match.group(1))
    assert response.status_code == 200
    assert response.cache_control.max_age == 365 * 24 * 60 * 60
    response.close()


def test_an_edited_file_gets_a_new_version(tmp_path: Path) -> None:
    css = tmp_path / "site.css"
    css.write_text("body { color: black; }")
    before = version(str(tmp_path), "site.css")
    css.write_text("body { color: navy; }")
    stat = css.stat()
    os.utime(css, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert version(str(tmp_path), "site.css") not in {None, before}
    assert version(str(tmp_path), "missing.css") is None


def test_every_page_links_the_favicon_so_browsers_do_not_ask_for_favicon_ico(client) -> None:
    for url in ("/", "/portal/", "/admin/profiles", "/nowhere", "/t/nope/admin/"):
        html = client.get(url).get_data(as_text=True)
        match = re.search(r'<link rel="icon" href="([^"]+)"', html)
        assert match and match.group(1).startswith("/static/img/favicon.svg?v="), url
    icon = client.get(match.group(1))
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    icon.close()
