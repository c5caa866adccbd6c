"""Stored times are UTC; people read Beijing time, through one formatter (etl/wording/times.py)."""
import datetime as dt

from dashboard.accounts.audit import event_dict
from dashboard.accounts.models import AuditEvent
from dashboard.i18n import fmt_datetime
from etl.wording.times import fmt_time, local_time

EVENING_UTC = dt.datetime(2026, 1, 15, 20, 30, 5)  # 04:30 the next morning in Beijing


def test_one_formatter_shows_beijing_time():
    assert local_time(EVENING_UTC) == dt.datetime(2026, 1, 16, 4, 30, 5)
    assert fmt_time(EVENING_UTC) == "2026-01-16 04:30"
    assert fmt_time(EVENING_UTC, seconds=True) == "2026-01-16 04:30:05"
    assert fmt_time(EVENING_UTC, "zh", zone=True) == "2026-01-16 04:30 北京时间"
    assert fmt_time(EVENING_UTC, "en", zone=True) == "2026-01-16 04:30 Beijing time"
    assert fmt_time(None) == "" and fmt_time(dt.date(2026, 1, 15)) == "2026-01-15"
    aware = EVENING_UTC.replace(tzinfo=dt.timezone.utc)
    assert fmt_time(aware) == "2026-01-16 04:30"


def test_pages_and_audit_use_it():
    assert fmt_datetime(EVENING_UTC, "zh").startswith("2026年1月16日") and "04:30" in fmt_datetime(EVENING_UTC, "en")
    event = AuditEvent(id=1, at=EVENING_UTC, username="ana", action="login", remote_addr="", target="")
    assert event_dict(event)["at"] == "2026-01-16 04:30:05"
