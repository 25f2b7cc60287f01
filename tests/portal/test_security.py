"""Secure by default: the production settings without extra variables, the response headers
(CSP with nonces, framing, sniffing, referrer, caching), templates without inline code,
error pages that reveal nothing, and the API schema for signed-in users only."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults
from rest_framework.test import APIClient

BASE = Path(settings.BASE_DIR)
#: What the process of a deployment would see: none of the switches the tests set.
UNSET = ("PLAIN_HTTP_LOOPBACK", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "SECURE_SSL_REDIRECT",
         "SECURE_HSTS_SECONDS", "SECRET_KEY", "ALLOWED_HOSTS", "S3_BUCKET")


def production_env(**extra) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in UNSET}
    # The servers the tests use, so that loading the settings starts no embedded ones.
    env.update(DATABASE_URL=settings.DATABASE_URL, REDIS_URL=settings.REDIS_URL,
               SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="lockstep.example.com")
    env.update(extra)
    return env


def manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE, env=env,
                          capture_output=True, text=True, timeout=300)


def test_deploy_check_passes_with_a_secret_key_and_hosts_only():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    # …and fails as soon as the portal is said to run on plain HTTP: the check is real.
    relaxed = production_env(PLAIN_HTTP_LOOPBACK="true", ALLOWED_HOSTS="localhost")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=relaxed)
    assert result.returncode != 0 and "security.W008" in result.stderr


def test_production_defaults_are_https_with_host_cookies():
    script = ("import json, django; django.setup(); from django.conf import settings as s; "
              "print(json.dumps({k: getattr(s, k) for k in ('SESSION_COOKIE_NAME', "
              "'CSRF_COOKIE_NAME', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
              "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
              "'X_FRAME_OPTIONS', 'SECURE_REFERRER_POLICY')}))")
    env = production_env(DJANGO_SETTINGS_MODULE="portal.settings")
    result = subprocess.run([sys.executable, "-c", script], cwd=BASE, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "SESSION_COOKIE_NAME": "__Host-sessionid", "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True, "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 365 * 86400, "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "X_FRAME_OPTIONS": "DENY", "SECURE_REFERRER_POLICY": "same-origin"}


def test_plain_http_is_refused_for_a_public_host():
    result = manage("check", env=production_env(PLAIN_HTTP_LOOPBACK="true"))
    assert result.returncode != 0
    assert "PLAIN_HTTP_LOOPBACK" in result.stderr and "lockstep.example.com" in result.stderr


def test_pages_carry_the_policy_and_their_nonce(world, login):
    response = login(world.alice).get(reverse("partnership:partnership_list"))
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if " " in part)
    assert directives["script-src"] == f"'self' 'nonce-{nonce}'"
    assert directives["style-src"] == f"'self' 'nonce-{nonce}'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all(f'nonce="{nonce}"' in tag or "src=" in tag for tag in scripts)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    # A second page gets a nonce of its own.
    again = login(world.alice).get(reverse("partnership:partnership_list"))
    assert nonce not in again["Content-Security-Policy"]


def test_only_signed_in_answers_are_kept_from_caches(world):
    anonymous = Client().get(reverse("health"))
    assert "no-store" not in anonymous.get("Cache-Control", "")
    api = APIClient()  # signed in by DRF inside the view, as a token holder is
    api.force_authenticate(world.alice)
    assert "no-store" in api.get("/api/v1/contracts/")["Cache-Control"]


TEMPLATE_DIRS = [BASE / "templates"]
INLINE = [
    (re.compile(r"\son[a-z]+\s*=", re.I), "an inline event handler (onclick=…)"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"\shx-on", re.I), "an hx-on handler (evaluated code)"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
    (re.compile(r"<script(?![^>]*\b(src|nonce)=)[^>]*>", re.I), "a script without src or nonce"),
    (re.compile(r"<style(?![^>]*\bnonce=)[^>]*>", re.I), "a <style> without a nonce"),
]


def page_templates():
    for folder in TEMPLATE_DIRS:
        for path in sorted(folder.rglob("*.html")):
            if "emails" not in path.relative_to(folder).parts:  # mail clients, not browsers
                yield path


@pytest.mark.parametrize("path", list(page_templates()), ids=lambda p: str(p.name))
def test_templates_have_no_inline_code_the_policy_would_block(path):
    # Comments are not served: {# #} on one line (as Django reads them), {% comment %} blocks.
    text = re.sub(r"\{#.*?#\}", "", path.read_text())
    text = re.sub(r"\{% comment %\}.*?\{% endcomment %\}", "", text, flags=re.S)
    for pattern, what in INLINE:
        match = pattern.search(text)
        assert match is None, f"{path.relative_to(BASE)} has {what}: {match.group(0)!r}"


def test_our_scripts_neither_eval_nor_write_style_attributes():
    for path in (BASE / "static" / "js").rglob("*.js"):
        text = path.read_text()
        for forbidden in ("eval(", "new Function", "setAttribute(\"style\"", ".innerHTML = '<",
                          "insertAdjacentHTML"):
            assert forbidden not in text, f"{path.name} uses {forbidden}"


def test_error_pages_look_like_the_portal_and_reveal_nothing(world, login):
    client = login(world.alice)
    missing = client.get("/no/such/page/")
    assert missing.status_code == 404
    page = missing.content.decode()
    assert "Lockstep" in page and "Not found" in page and "/no/such/page/" not in page
    assert "Traceback" not in page and "urlpatterns" not in page

    bad = Client().get("/", HTTP_HOST="evil.example")  # not in ALLOWED_HOSTS
    assert bad.status_code == 400
    assert "Bad request" in bad.content.decode() and "evil.example" not in bad.content.decode()

    request = RequestFactory().get("/")
    error = defaults.server_error(request)
    assert error.status_code == 500
    assert b"Something went wrong" in error.content and b"Lockstep" in error.content

    csrf = Client(enforce_csrf_checks=True)
    refused = csrf.post(reverse("login"), {"username": "x", "password": "y"})
    assert refused.status_code == 403
    text = refused.content.decode()
    assert "This form has expired" in text and "Lockstep" in text
    assert "CSRF cookie" not in text and "verification failed" not in text


def test_the_api_schema_and_docs_are_for_signed_in_users(world, login):
    assert APIClient().get(reverse("api_schema")).status_code in (401, 403)
    docs = Client().get(reverse("api_docs"))
    assert docs.status_code == 302 and docs["Location"].startswith(reverse("login"))
    client = login(world.alice)
    assert client.get(reverse("api_schema")).status_code == 200
    page = client.get(reverse("api_docs"))
    assert page.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", page["Content-Security-Policy"]).group(1)
    html = page.content.decode()
    assert f'<style nonce="{nonce}">' in html
    assert all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", html))
    script = client.get(reverse("api_docs") + "?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
