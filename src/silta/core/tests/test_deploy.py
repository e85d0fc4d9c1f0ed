"""deploy/ and .env.example agree with the settings they are written for."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from silta.config import settings as configured

ROOT = Path(__file__).resolve().parents[4]
DEPLOY = ROOT / "deploy"
GOOD_KEY = "k3J9v_Qe2LrT8wZp0aYcN5uH-dF7sXbM4gVj1oKiE6nRtWq"


def example_env() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def found(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    assert match is not None, pattern
    return match.group(1)


def unit(name: str) -> str:
    return (DEPLOY / "systemd" / name).read_text()


def test_web_and_worker_are_restarted_whatever_happens() -> None:
    web, worker = unit("silta-web.service"), unit("silta-worker.service")
    assert "Restart=always" in web and "Restart=always" in worker
    assert re.search(r"ExecStart=.*manage\.py worker ", worker)  # the resilient worker
    assert "db_worker" not in worker
    assert "--bind 127.0.0.1:8001" in web
    assert "EnvironmentFile=/etc/silta/silta.env" in web + worker


def test_nginx_limit_matches_the_attachment_limits() -> None:
    site = (DEPLOY / "nginx" / "silta.conf").read_text()
    limit = int(found(r"client_max_body_size (\d+)m;", site))
    env = example_env()
    per_file = int(env["SILTA_MAX_ATTACHMENT_MB"])
    assert limit == per_file * int(env["SILTA_MAX_ATTACHMENTS_PER_MESSAGE"]) + 1
    assert per_file * 2**20 == configured.SILTA_MAX_ATTACHMENT_BYTES


def test_nginx_passes_the_client_address_and_scheme_and_serves_static_files() -> None:
    site = (DEPLOY / "nginx" / "silta.conf").read_text()
    params = (DEPLOY / "nginx" / "silta_proxy_params").read_text()
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in params
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in params
    assert "server 127.0.0.1:8001;" in site and "listen 443 ssl" in site
    static = found(r"location /static/ \{\s+alias (\S+);", site)
    assert static.rstrip("/") == example_env()["SILTA_STATIC_ROOT"]
    assert "location = /readyz" in site
    assert example_env()["SILTA_TRUSTED_PROXY_COUNT"] == "1"  # nginx alone in front


def _start_with(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in example_env()}
    clean.update(env, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run(
        [sys.executable, "-c", "import silta.config.settings"],
        capture_output=True,
        text=True,
        env=clean,
        cwd=ROOT,
        check=False,
    )


def test_env_example_starts_production_once_the_secret_is_replaced() -> None:
    copied = _start_with(example_env())
    assert copied.returncode != 0
    assert "SECRET_KEY must be set" in copied.stderr
    assert "ALLOWED_HOSTS" not in copied.stderr and "DATABASE_URL" not in copied.stderr
    completed = _start_with({**example_env(), "SECRET_KEY": GOOD_KEY})
    assert completed.returncode == 0, completed.stderr
