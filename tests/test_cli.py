"""The npq-workbook command: every verb, its exit codes, and one-line errors (never a traceback)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from npq_widgets.cli import main
from npq_widgets.paths import exercises_dir

MODEL = exercises_dir() / "smart-objectives" / "y8-english-reading.model.json"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_tasks_lists_registered_tasks(capsys):
    code, out, _ = run(capsys, "tasks")
    assert code == 0
    assert "smart-objectives — SMART objectives for a team member" in out
    assert "criteria: 6.1.1" in out and "scenario y8-english-reading" in out
    assert ("reformed content areas (editorial): Teaching; Professional Development (also for NPQLT, NPQLTD)"
            in out)


def test_tasks_json(capsys):
    code, out, _ = run(capsys, "tasks", "--json")
    data = json.loads(out)
    assert data[0]["id"] == "smart-objectives" and data[0]["formats"] == ["json", "xlsx"]
    assert data[0]["reformed_content_areas"] == ["Teaching", "Professional Development"]
    assert data[0]["specialist_npqs"] == ["NPQLT", "NPQLTD"]


def test_check_pass_exit_0(capsys):
    code, out, _ = run(capsys, "check", "smart-objectives", str(MODEL))
    assert code == 0 and "All criteria met" in out


def test_check_fail_exit_1_json(capsys, tmp_path):
    art = json.loads(MODEL.read_text())
    art["objectives"] = art["objectives"][:1]
    f = tmp_path / "w.json"
    f.write_text(json.dumps(art))
    code, out, _ = run(capsys, "check", "smart-objectives", str(f), "--json")
    data = json.loads(out)
    assert code == 1 and data["status"] == "fail" and data["hint"]


@pytest.mark.parametrize("content,fragment", [
    (b"{not json", "is not valid JSON"), (b"\xff\xfe\x00", "not a text file"), (b"[1,2]", "does not hold a saved task"),
])
def test_check_unreadable_file_exit_2(capsys, tmp_path, content, fragment):
    f = tmp_path / "bad.json"
    f.write_bytes(content)
    code, out, err = run(capsys, "check", "smart-objectives", str(f))
    assert code == 2 and fragment in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_check_wrong_task_in_file_exit_2(capsys, tmp_path):
    f = tmp_path / "w.json"
    f.write_text(json.dumps({"task": "budget"}))
    code, out, _ = run(capsys, "check", "smart-objectives", str(f))
    assert code == 2 and "not 'smart-objectives'" in out


@pytest.mark.parametrize("argv,fragment", [
    (("check", "no-such-task", "x.json"), "There is no task 'no-such-task'"),
    (("check", "smart-objectives", "missing.json"), "There is no file"),
    (("export", "smart-objectives", "--model-answer", "--scenario", "nope", "--format", "json", "-o", "o.json"),
     "has no scenario 'nope'"),
    (("export", "smart-objectives", "--format", "json", "-o", "o.json"), "Give either a saved work FILE"),
    (("catalogue", "NPQXX"), "No qualification 'NPQXX'"),
])
def test_errors_are_one_line(capsys, argv, fragment):
    code, out, err = run(capsys, *argv)
    assert code == 2 and fragment in err and len(err.strip().splitlines()) == 1


def test_export_model_answer_xlsx_and_json(capsys, tmp_path):
    out = tmp_path / "m.xlsx"
    code, stdout, _ = run(capsys, "export", "smart-objectives", "--model-answer", "--format", "xlsx", "-o", str(out))
    assert code == 0 and out.stat().st_size > 1000 and out.read_bytes()[:2] == b"PK"
    out2 = tmp_path / "m.json"
    assert main(["export", "smart-objectives", str(MODEL), "--format", "json", "-o", str(out2)]) == 0
    assert json.loads(out2.read_text())["objectives"] == json.loads(MODEL.read_text())["objectives"]


def test_catalogue_readable_and_json(capsys):
    code, out, _ = run(capsys, "catalogue", "NPQSL")
    assert code == 0 and "NPQSL-legacy" in out and "NPQSL-reformed" in out
    code, out, _ = run(capsys, "catalogue", "--json")
    data = json.loads(out)
    ids = {q["id"] for q in data["qualifications"]}
    assert {"NPQML-legacy", "NPQSL-legacy", "NPQSL-reformed", "NPQEL-reformed"} <= ids


def test_console_script_runs_as_a_process():
    proc = subprocess.run([sys.executable, "-m", "npq_widgets.cli", "check", "smart-objectives", "/nonexistent"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.startswith("npq-workbook: There is no file")
    assert "Traceback" not in proc.stderr


def test_voila_command_serves_notebooks_on_loopback():
    from npq_widgets.cli import voila_command

    cmd = voila_command(8899)
    assert "--Voila.ip=127.0.0.1" in cmd and "--port=8899" in cmd and "--show_tracebacks=False" in cmd


def test_export_work_and_import_work(capsys, tmp_path, monkeypatch):
    from npq_widgets.store.workbook import Workbook

    monkeypatch.setenv("NPQ_WORKBOOK_HOME", str(tmp_path / "home1"))
    Workbook.for_key().save("which-npq", {"task": "which-npq", "schema_version": 1, "role": None, "scope": "team"})
    out = tmp_path / "all.json"
    code, stdout, _ = run(capsys, "export-work", "-o", str(out))
    assert code == 0 and "1 saved document" in stdout
    monkeypatch.setenv("NPQ_WORKBOOK_HOME", str(tmp_path / "home2"))
    code, stdout, _ = run(capsys, "import-work", str(out))
    assert code == 0 and "which-npq: added." in stdout
    assert Workbook.for_key().load("which-npq").data["scope"] == "team"
    code, stdout, _ = run(capsys, "import-work", str(out))
    assert "already up to date" in stdout


@pytest.mark.parametrize("content,fragment", [(b"nonsense", "not an NPQ Workbook file"),
                                              (b'{"format": "npq-workbook/bundle", "bun', "incomplete")])
def test_import_work_bad_file_is_one_line(capsys, tmp_path, content, fragment):
    f = tmp_path / "x.json"
    f.write_bytes(content)
    code, _, err = run(capsys, "import-work", str(f))
    assert code == 2 and fragment in err and len(err.strip().splitlines()) == 1


def test_import_work_refuses_an_unsafe_key(capsys, tmp_path):
    f = tmp_path / "x.json"
    f.write_bytes(b"{}")
    code, _, err = run(capsys, "import-work", str(f), "--key", "../../etc")
    assert code == 2 and "key is not valid" in err


def _free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
@pytest.mark.parametrize("verb,path", [("run", "/voila/render/apps/which-npq.ipynb"), ("lab", "/lab")])
def test_run_and_lab_start_print_their_address_and_stop_on_ctrl_c(verb, path, tmp_path):
    import os
    import signal
    import time
    import urllib.error
    import urllib.request

    port = _free_port()
    env = dict(os.environ, NPQ_WORKBOOK_HOME=str(tmp_path), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    proc = subprocess.Popen([sys.executable, "-m", "npq_widgets.cli", verb, "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                            start_new_session=True)
    lines = []
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "NPQ Workbook is running at" in line:
                break
        assert any(f"http://127.0.0.1:{port}/" in ln and "is running at" in ln for ln in lines), "".join(lines)
        try:
            status = urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60).status
        except urllib.error.HTTPError as exc:  # JupyterLab without its token redirects to the login page
            status = exc.code
        assert status in (200, 302, 403)
        proc.send_signal(signal.SIGINT)
        code = proc.wait(30)  # raises TimeoutExpired if Ctrl+C did not stop it
        assert code == 0, f"exit code {code} after Ctrl+C:\n{''.join(lines)}{proc.stdout.read()}"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.stdout.close()


def test_lab_gets_the_same_upload_limit_as_voila():
    import os

    from npq_widgets.cli import lab_environment
    from npq_widgets.paths import voila_config

    env = lab_environment()
    folder = env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0]
    config = json.loads((Path(folder) / "jupyter_server_config.json").read_text())
    limit = config["ServerApp"]["tornado_settings"]["websocket_max_message_size"]
    assert limit == json.loads(voila_config().read_text())["Voila"]["tornado_settings"]["websocket_max_message_size"]
    assert isinstance(limit, int) and limit > 20 * 1024 * 1024
