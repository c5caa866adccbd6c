"""Start the dashboard.

    python app.py              development server on http://127.0.0.1:8050 (HOST / PORT to change)
    gunicorn app:server        production (set CACHE_REDIS_URL when running several workers)

On an empty database (DATABASE_URL, default instance/monitor.sqlite) the schema is created, the
catalog and targets are seeded and the demo workbooks are loaded, so the first start shows data.
`python app.py` on this machine only (HOST 127.0.0.1) also opens viewing without sign-in unless
PUBLIC_VIEWING is set; gunicorn never does.
"""
from __future__ import annotations

import os

import sys

from dashboard import create_app

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")

if __name__ == "__main__" and os.environ.get("HOST", "127.0.0.1") in LOCAL_HOSTS \
        and "PUBLIC_VIEWING" not in os.environ:
    # The local demo (`pip install -e . && python app.py`) opens on the overview. Viewing only:
    # uploads and admin pages still need an analyst's or admin's sign-in (docs/accounts.md).
    os.environ["PUBLIC_VIEWING"] = "1"
    print("[dashboard] local demo: viewing without sign-in (PUBLIC_VIEWING=1); "
          "set PUBLIC_VIEWING=0 to require it", file=sys.stderr)

app = create_app()
server = app.server

if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "8050")),
            debug=os.environ.get("DASH_DEBUG") == "1")
