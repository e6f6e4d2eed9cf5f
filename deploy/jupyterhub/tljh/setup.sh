#!/bin/bash
# NPQ Workbook on The Littlest JupyterHub (TLJH): one server for a provider's cohort.
#
# 1. Install TLJH itself with its own bootstrap script (Ubuntu/Debian server, as root; see https://tljh.jupyter.org):
#      curl -L https://tljh.jupyter.org/bootstrap.py | sudo python3 - --admin <your-admin-name>
# 2. From a clone of this repository on that server:
#      sudo deploy/jupyterhub/tljh/setup.sh
# 3. To update the workbook for the whole cohort: `git pull` in the clone and run setup.sh again. Candidates get the
#    new notebooks on their next page load (new code at their next server start); their saved work, in their own
#    home folders, is not touched.
#
# For LTI launch from the VLE, set NPQ_LTI_ISSUER, NPQ_LTI_CLIENT_ID, NPQ_LTI_AUTHORIZE_URL and NPQ_LTI_JWKS_URL in
# /etc/systemd/system/jupyterhub.service.d/npq-lti.conf (Environment=...) — see deploy/jupyterhub/README.md.
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "Run as root (sudo)." >&2; exit 1; }
repo=$(cd "$(dirname "$0")/../../.." && pwd)
user_python=/opt/tljh/user/bin/python          # TLJH's environment for user servers
hub_config_d=/opt/tljh/config/jupyterhub_config.d
workbook=${NPQ_WORKBOOK_DIR:-/srv/npq-workbook}

# The workbook, outside everyone's home, readable by all and writable by root only: one copy for the cohort.
mkdir -p "$workbook"
tar -C "$repo" --exclude=.git --exclude=.venv --exclude=test-artifacts -cf - . | tar -C "$workbook" -xf -
chown -R root:root "$workbook"
chmod -R u=rwX,go=rX "$workbook"

# The package and its dependencies into the users' environment; the server settings (64 MB websocket messages for
# uploads, idle-kernel culling, Voila with no code or tracebacks) into that environment's Jupyter config folder.
"$user_python" -m pip install --quiet "$workbook"
"$user_python" -m npq_widgets.hosting write-config /opt/tljh/user/etc/jupyter

# The hub's settings: start page, notebooks folder, where work is saved, LTI when configured.
install -m 0644 "$repo/deploy/jupyterhub/jupyterhub_config.py" "$hub_config_d/npq_workbook.py"

# Per-user limits (TLJH applies them through systemd): see z2jh-values.yaml for the sizing. Idle servers stop after
# an hour; saved work stays.
tljh-config set limits.memory 1G
tljh-config set limits.cpu 1
tljh-config set services.cull.timeout 3600
tljh-config reload hub
echo "NPQ Workbook is installed for the cohort: $workbook (notebooks), saved work in each user's ~/.npq-workbook"
