"""deploy/system-packages.sh, which `make test` and `.ci/run` call: it installs only what is missing, and where it
may not install (no root, no password-less sudo) it names the packages and lets the tests skip with their notice."""

import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "system-packages.sh"


def run(tmp_path, *args, chromium):
    """The script as an ordinary user: `id -u` answers 1000 and sudo wants a password."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, body in {"id": "echo 1000", "sudo": "exit 1", "apt-get": "echo apt-get ran >&2; exit 1"}.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:/usr/bin:/bin", "CHROMIUM": str(chromium)}
    return subprocess.run(["sh", str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=60, check=False)


def test_without_rights_it_names_the_missing_browser_and_installs_nothing(tmp_path):
    result = run(tmp_path, "test", chromium=tmp_path / "no-chromium")

    assert result.returncode == 0
    assert "system packages missing: chromium" in result.stderr
    assert "sudo apt-get install chromium" in result.stderr
    assert "apt-get ran" not in result.stderr


def test_with_everything_there_it_installs_and_says_nothing(tmp_path):
    browser = tmp_path / "chromium"
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)
    run(tmp_path, "test", chromium=browser)  # makes the bin folder
    for name in ("java", "npm"):
        (tmp_path / "bin" / name).write_text("#!/bin/sh\n")
        (tmp_path / "bin" / name).chmod(0o755)

    result = run(tmp_path, "test", chromium=browser)

    assert result.returncode == 0
    assert (result.stdout, result.stderr) == ("", "")
