"""Launch from the provider's VLE: LTI 1.3 into the hub, played for real on 127.0.0.1.

The test is the platform (the VLE): it makes an RSA key pair, serves its JWKS and an authorisation endpoint on
127.0.0.1, and goes through LTI 1.3's OpenID Connect third-party login against a JupyterHub configured by the shipped
deploy/jupyterhub/jupyterhub_config.py (jupyterhub-ltiauthenticator's LTI13Authenticator, settings from NPQ_LTI_*):
login initiation at the hub, the hub's redirect (with state and nonce cookies) to the platform's authorisation
endpoint, which answers like a real platform with an auto-submitting form carrying an id_token signed for a made-up
course and candidate with the hub's nonce, posted with the state to the hub's callback. The candidate must be
created and land on the workbook's start page, rendered by Voila in their own server."""

from __future__ import annotations

import http.cookiejar
import html
import json
import os
import re
import shutil
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.hub import REPO, Hub, NoRedirect, missing_hub_tools

pytestmark = pytest.mark.slow
_reason = missing_hub_tools()
if _reason is None:
    try:
        import jwt  # noqa: F401
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        import ltiauthenticator  # noqa: F401
    except ImportError as exc:
        _reason = f"{exc.name} is not installed (jupyterhub-ltiauthenticator, pyjwt, cryptography: the test extra)"
if _reason:
    pytest.skip(_reason, allow_module_level=True)

HUB_PORT = 18461
PLATFORM_PORT = 18469
PLATFORM = f"http://127.0.0.1:{PLATFORM_PORT}"
CLIENT_ID = "npq-workbook-tool"
DEPLOYMENT_ID = "cohort-2027-spring"
CANDIDATE = "npq-candidate-0042"   # the VLE's opaque user id (sub): the hub's username
KID = "npq-test-key-1"


class Platform:
    """The VLE: JWKS at /jwks, an OIDC authorisation endpoint at /auth that signs an LTI 1.3 launch."""

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        self.jwks = {"keys": [{**jwk, "kid": KID, "alg": "RS256", "use": "sig"}]}
        self.nonce_override: str | None = None
        self.auth_requests: list[dict] = []
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                url = urllib.parse.urlparse(self.path)
                if url.path == "/jwks":
                    return self._send(200, "application/json", json.dumps(platform.jwks))
                if url.path == "/auth":
                    query = dict(urllib.parse.parse_qsl(url.query))
                    platform.auth_requests.append(query)
                    return self._send(200, "text/html", platform.authorise(query))
                return self._send(404, "text/plain", "not found")

            def _send(self, code, ctype, body):
                data = body.encode()
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", PLATFORM_PORT), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def id_token(self, nonce: str, target_link_uri: str) -> str:
        now = int(time.time())
        claims = {
            "iss": PLATFORM, "aud": CLIENT_ID, "sub": CANDIDATE, "iat": now, "exp": now + 300, "nonce": nonce,
            "name": "Ada Candidate", "given_name": "Ada", "family_name": "Candidate",
            "https://purl.imsglobal.org/spec/lti/claim/version": "1.3.0",
            "https://purl.imsglobal.org/spec/lti/claim/message_type": "LtiResourceLinkRequest",
            "https://purl.imsglobal.org/spec/lti/claim/deployment_id": DEPLOYMENT_ID,
            "https://purl.imsglobal.org/spec/lti/claim/target_link_uri": target_link_uri,
            "https://purl.imsglobal.org/spec/lti/claim/resource_link": {"id": "npqsl-module-1-workbook",
                                                                        "title": "NPQ Workbook"},
            "https://purl.imsglobal.org/spec/lti/claim/roles": [
                "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
            "https://purl.imsglobal.org/spec/lti/claim/context": {
                "id": "npqsl-2027-spring", "label": "NPQSL 2027", "title": "NPQ Senior Leadership, spring 2027"},
        }
        pem = self.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())
        return jwt.encode(claims, pem, algorithm="RS256", headers={"kid": KID})

    def authorise(self, query: dict) -> str:
        """What a platform's authorisation endpoint does: check the request, answer with a self-posting form."""
        assert query["client_id"] == CLIENT_ID and query["response_type"] == "id_token"
        assert query["response_mode"] == "form_post" and query["scope"] == "openid" and query["login_hint"]
        token = self.id_token(self.nonce_override or query["nonce"], f"http://127.0.0.1:{HUB_PORT}/hub/")
        action = html.escape(query["redirect_uri"], quote=True)
        return (f'<form id="launch" method="post" action="{action}">'
                f'<input type="hidden" name="id_token" value="{html.escape(token, quote=True)}">'
                f'<input type="hidden" name="state" value="{html.escape(query["state"], quote=True)}">'
                "</form><script>document.getElementById('launch').submit()</script>")

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def platform():
    p = Platform()
    yield p
    p.stop()


@pytest.fixture(scope="module")
def lti_hub(tmp_path_factory, platform):
    workdir = tmp_path_factory.mktemp("lti-hub")
    singleuser = Path(sys.executable).parent / "jupyterhub-singleuser"
    extra = (
        "c.JupyterHub.spawner_class = 'simple'\n"  # one OS user is enough here: test_hub.py tests isolation
        f"c.Spawner.cmd = [{str(singleuser)!r}]\n"
        f"c.Spawner.args = {['--allow-root'] if os.geteuid() == 0 else []!r}\n"
        f"c.SimpleLocalProcessSpawner.home_dir_template = {str(workdir / 'homes' / '{username}')!r}\n"
        f"c.Spawner.environment.update({{'PYTHONPATH': {str(REPO)!r}, 'MPLBACKEND': 'Agg'}})\n"
    )
    env = {"NPQ_WORKBOOK_DIR": str(REPO), "NPQ_LTI_ISSUER": PLATFORM, "NPQ_LTI_CLIENT_ID": CLIENT_ID,
           "NPQ_LTI_AUTHORIZE_URL": f"{PLATFORM}/auth", "NPQ_LTI_JWKS_URL": f"{PLATFORM}/jwks"}
    hub = Hub(workdir, HUB_PORT, extra, env=env)
    try:
        yield hub
    finally:
        hub.stop()
        shutil.rmtree(workdir / "homes", ignore_errors=True)


def _browser():
    jar = http.cookiejar.CookieJar()
    return (urllib.request.build_opener(NoRedirect, urllib.request.HTTPCookieProcessor(jar)),
            urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar)


def _open(opener, url, data: dict | None = None):
    body = None if data is None else urllib.parse.urlencode(data).encode()
    try:
        resp = opener.open(urllib.request.Request(url, data=body), timeout=120)
        return resp.status, resp.headers.get("Location"), resp.read().decode(errors="replace"), resp.geturl()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Location"), err.read().decode(errors="replace"), url


def _launch(hub: Hub, manual):
    """Login initiation (the VLE sends the browser to the hub), then the authorisation request at the platform."""
    status, location, _, _ = _open(manual, f"{hub.url}/hub/lti13/oauth_login", {
        "iss": PLATFORM, "login_hint": "opaque-login-hint-42", "target_link_uri": f"{hub.url}/hub/",
        "client_id": CLIENT_ID, "lti_deployment_id": DEPLOYMENT_ID, "lti_message_hint": "resource-link-1"})
    assert status == 302 and location.startswith(f"{PLATFORM}/auth?"), (status, location, hub.log_text()[-2000:])
    status, _, form, _ = _open(manual, location)
    assert status == 200
    action = html.unescape(re.search(r'action="([^"]+)"', form).group(1))
    fields = {k: html.unescape(v) for k, v in re.findall(r'name="(\w+)" value="([^"]*)"', form)}
    return action, fields


def test_vle_launch_creates_the_candidate_and_lands_on_the_start_page(lti_hub, platform):
    hub = lti_hub
    manual, follow, jar = _browser()
    action, fields = _launch(hub, manual)
    assert action == f"{hub.url}/hub/lti13/oauth_callback"
    cookies = {c.name for c in jar}
    assert {"lti13authenticator-state", "lti13authenticator-nonce-state"} <= cookies, cookies
    request = platform.auth_requests[-1]
    assert request["state"] == fields["state"] and request["login_hint"] == "opaque-login-hint-42"
    assert request["lti_message_hint"] == "resource-link-1"

    status, location, body, _ = _open(manual, action, fields)
    assert status == 302, (status, body[-1000:], hub.log_text()[-3000:])
    user = hub.api("GET", f"/users/{CANDIDATE}")
    assert user["name"] == CANDIDATE

    # The browser follows on: the hub starts the candidate's server, which opens the workbook's start page.
    assert location in ("/hub/", f"{hub.url}/hub/"), location
    status, _, page, final = _open(follow, urllib.parse.urljoin(hub.url, location))
    deadline = time.monotonic() + 120
    while urllib.parse.urlparse(final).path != f"/user/{CANDIDATE}/voila/render/gallery.ipynb":
        assert time.monotonic() < deadline, (status, final, hub.log_text()[-3000:])
        time.sleep(1)
        status, _, page, final = _open(follow, f"{hub.url}/hub/user/{CANDIDATE}/")
    assert status == 200, page[-2000:]
    assert "application/vnd.jupyter.widget-view+json" in page and "Traceback" not in page


def test_a_token_without_the_hubs_nonce_is_refused(lti_hub, platform):
    hub = lti_hub
    manual, _, _ = _browser()
    platform.nonce_override = "a-replayed-or-forged-nonce"
    try:
        action, fields = _launch(hub, manual)
    finally:
        platform.nonce_override = None
    status, _, body, _ = _open(manual, action, fields)
    assert status == 400 and "nonce" in body.lower(), (status, body[-500:])


def test_a_token_signed_with_another_key_is_refused(lti_hub, platform):
    hub = lti_hub
    manual, _, _ = _browser()
    action, fields = _launch(hub, manual)
    nonce = platform.auth_requests[-1]["nonce"]
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    claims = jwt.decode(fields["id_token"], options={"verify_signature": False})
    assert claims["nonce"] == nonce
    fields["id_token"] = jwt.encode(claims, stranger, algorithm="RS256", headers={"kid": KID})
    status, _, body, _ = _open(manual, action, fields)
    assert status == 400 and "signature" in body.lower(), (status, body[-500:])
