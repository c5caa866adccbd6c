"""One settings object: read from the environment at start, validated, documented in the README."""
from __future__ import annotations

import ast
import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pytest

from etl.settings import FIELDS, Settings, SettingsError, env_names

ROOT = Path(__file__).resolve().parent.parent


def readme_table_names() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])]


def test_readme_table_and_settings_fields_agree():
    fields = {f.name for f in dataclasses.fields(Settings)}
    assert fields == {var.field for var in FIELDS}, "every field has exactly one variable"
    assert readme_table_names() == env_names()


def test_no_module_reads_the_environment_but_settings():
    readers = []
    for path in [*ROOT.glob("etl/**/*.py"), *ROOT.glob("dashboard/**/*.py"), ROOT / "app.py"]:
        if path == ROOT / "etl" / "settings.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv") \
                    and isinstance(node.value, ast.Name) and node.value.id == "os":
                readers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert readers == []


def test_values_are_parsed_and_defaults_kept():
    settings = Settings.from_env({"PUBLIC_VIEWING": "yes", "PORT": "8051", "TRUSTED_PROXIES": "1",
                                  "MAX_UPLOAD_BYTES": "1_000", "SESSION_COOKIE_SECURE": "auto",
                                  "LOG_LEVEL": "DEBUG", "UNRELATED": "x"})
    assert settings.public_viewing is True and settings.port == 8051
    assert settings.max_upload_bytes == 1000 and settings.log_level == "debug"
    assert settings.secure_cookies_by_default  # behind a TLS proxy cookies are Secure by default
    assert Settings.from_env({}).secure_cookies_by_default is False
    assert Settings.from_env({"TRUSTED_PROXIES": "1", "SESSION_COOKIE_SECURE": "0"}) \
        .secure_cookies_by_default is False
    assert Settings.from_env({}) == Settings()
    assert Settings.from_env({"PUBLIC_VIEWING": ""}).public_viewing is False  # empty = unset


@pytest.mark.parametrize("name, value, words", [
    ("PUBLIC_VIEWING", "maybe", "PUBLIC_VIEWING must be one of"),
    ("PORT", "80a", "PORT must be a whole number 1–65535, not '80a'"),
    ("PORT", "70000", "PORT must be a whole number"),
    ("SESSION_HOURS", "0", "SESSION_HOURS must be a whole number"),
    ("MAX_COMPRESSION_RATIO", "inf", "MAX_COMPRESSION_RATIO must be a number above 0"),
    ("DATABASE_URL", "monitor.sqlite", "DATABASE_URL must be a URL"),
    ("DASH_URL_BASE_PATHNAME", "monitor", "must start and end with '/'"),
    ("LOG_LEVEL", "loud", "LOG_LEVEL must be one of debug, info, warning, error"),
])
def test_a_bad_value_is_one_clear_line(name, value, words):
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({name: value})
    message = str(raised.value)
    assert words in message and "\n" not in message


def test_the_app_refuses_to_start_on_a_bad_value_in_one_line(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "PORT": "eighty", "INSTANCE_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, str(ROOT / "app.py")], env=env, capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "设置错误 / bad setting: PORT must be a whole number 1–65535, not 'eighty'"]


def test_the_app_keeps_its_settings_and_hands_them_to_the_etl(engine, monkeypatch):
    from dashboard import create_app
    from etl import config

    monkeypatch.setattr(config, "current", None)
    chosen = Settings.from_env().replace(max_cells=1234, public_viewing=True)
    app = create_app(engine, load_demo_if_empty=False, settings=chosen)
    assert app.server.config["SETTINGS"] is chosen
    assert config.settings() is chosen  # the ETL's limits are the app's
