"""Start the dashboard.

    PUBLIC_VIEWING=1 python app.py   development server on http://127.0.0.1:8050 (HOST / PORT to
                                     change), viewable without sign-in (the README's demo command)
    gunicorn app:server              production (set CACHE_REDIS_URL when running several workers)

On an empty database (DATABASE_URL, default instance/monitor.sqlite) the schema is created, the
catalog and targets are seeded and the demo workbooks are loaded, so the first start shows data.
Without PUBLIC_VIEWING=1 every page asks for a sign-in (docs/accounts.md: the first admin).
"""
from __future__ import annotations

import os

from dashboard import create_app

app = create_app()
server = app.server

if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "8050")),
            debug=os.environ.get("DASH_DEBUG") == "1")
