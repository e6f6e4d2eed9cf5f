"""JupyterHub settings for an NPQ Workbook cohort outside Kubernetes: The Littlest JupyterHub or any hub with
local users. TLJH: copy to /opt/tljh/config/jupyterhub_config.d/npq_workbook.py (tljh/setup.sh does) and
`sudo tljh-config reload`. The same settings for Zero to JupyterHub are in z2jh-values.yaml.

The provider's own values come from the environment (or edit them here):
  NPQ_LTI_ISSUER, NPQ_LTI_CLIENT_ID (comma-separated), NPQ_LTI_AUTHORIZE_URL, NPQ_LTI_JWKS_URL
Leave NPQ_LTI_ISSUER unset to keep the hub's own login (TLJH's default) while trying it out.

tests/test_hub.py loads this file for its local hubs, so what is tested is what is shipped.
"""

import os

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

WORKBOOK = os.environ.get("NPQ_WORKBOOK_DIR", "/srv/npq-workbook")

# Each candidate's server opens the workbook's start page; its root is the shared, read-only copy of the notebooks,
# so an update reaches everyone. Saved work goes to the candidate's own home, private to them (their home is 0700,
# and the store writes 0600 files).
c.Spawner.notebook_dir = os.path.join(WORKBOOK, "notebooks")
c.Spawner.default_url = "/voila/render/gallery.ipynb"
c.Spawner.environment = {
    "NPQ_WORKBOOK_HOME": "~/.npq-workbook",  # expanded by the workbook in the user's own home
    "NPQ_WORKBOOK_HOSTING": "hub",
}
# bench/: 60-200 MB per page kernel, ~100 MB for the server; see z2jh-values.yaml. Enforced by TLJH's systemd spawner.
c.Spawner.mem_limit = "1G"
c.Spawner.cpu_limit = 1.0

if os.environ.get("NPQ_LTI_ISSUER"):
    c.JupyterHub.authenticator_class = "ltiauthenticator.lti13.auth.LTI13Authenticator"
    c.Authenticator.allow_all = True  # the VLE decides who may launch
    c.LTI13Authenticator.issuer = os.environ["NPQ_LTI_ISSUER"]
    c.LTI13Authenticator.client_id = {x.strip() for x in os.environ.get("NPQ_LTI_CLIENT_ID", "").split(",") if x}
    c.LTI13Authenticator.authorize_url = os.environ["NPQ_LTI_AUTHORIZE_URL"]
    c.LTI13Authenticator.jwks_endpoint = os.environ["NPQ_LTI_JWKS_URL"]
    c.LTI13Authenticator.username_key = "sub"  # the VLE's stable, opaque user id
