"""The background sender as the platform expects it, and starting one from the window.

- Windows: a per-user Task Scheduler task that starts `studio outbox serve` at the user's
  logon (created from an XML definition with `schtasks /Create /XML`, removed with
  `schtasks /Delete`). It runs as the user, with no elevation, no time limit, and restarts
  after a crash.
- Linux: a systemd user unit in `~/.config/systemd/user/`, enabled for `default.target`
  (it runs while the user is logged in; `loginctl enable-linger USER` keeps it running
  without a login).

Each plan is built first (`install_plan`/`uninstall_plan`: the files and the commands), so a
dry run prints exactly what would be done and the tests check it on either platform.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import platformdirs

from audio.errors import StudioError
from studio.paths import APP_NAME, StudioHome

TASK_FOLDER = "StudioTruyenThanh"
UNIT_PREFIX = "studio-truyen-thanh-outbox"


def _home_suffix(home: StudioHome) -> str:
    """'' for the default data folder; a short tag for another one (several stations, tests),
    so that each home gets its own task or unit."""
    default = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    if Path(home.root).resolve() == default.resolve():
        return ""
    return "-" + hashlib.sha256(str(Path(home.root).resolve()).encode()).hexdigest()[:8]


def sender_command(home: StudioHome, platform: str | None = None) -> list[str]:
    """The command line that runs the background sender for `home`.

    On Windows it uses `pythonw.exe` (no console window) when there is one beside python.
    """
    platform = platform or sys.platform
    exe = Path(sys.executable)
    args = ["outbox", "serve", "--home", str(Path(home.root).resolve())]
    if getattr(sys, "frozen", False):
        windowless = exe.with_name("studiow.exe")  # the bundle's windowless twin, when built
        if platform == "win32" and windowless.is_file():
            exe = windowless
        return [str(exe), *args]
    if platform == "win32" and exe.name.lower() == "python.exe":
        pythonw = exe.with_name("pythonw.exe")
        if pythonw.is_file():
            exe = pythonw
    return [str(exe), "-m", "studio", *args]


@dataclass
class ServicePlan:
    """What installing or removing the background sender does on one platform."""

    platform: str  # "windows" | "linux"
    name: str  # task name or unit name
    command: list[str]  # the sender's command line
    files: dict[Path, str] = field(default_factory=dict)  # to write (Linux unit)
    remove: list[Path] = field(default_factory=list)
    task_xml: str = ""  # Windows: the task definition handed to schtasks
    commands: list[list[str]] = field(default_factory=list)  # run in order; "{xml}" = task file

    def describe(self) -> str:
        lines = []
        for path, text in self.files.items():
            lines += [f"# {path}", text.rstrip()]
        if self.task_xml:
            lines += ["# task definition (XML)", self.task_xml.rstrip()]
        lines += [f"# remove {p}" for p in self.remove]
        lines += [subprocess.list2cmdline(c) for c in self.commands]
        return "\n".join(lines)


def current_platform() -> str:
    return "windows" if sys.platform == "win32" else "linux"


def task_name(home: StudioHome) -> str:
    return f"\\{TASK_FOLDER}\\Outbox sender{_home_suffix(home)}"


def unit_name(home: StudioHome) -> str:
    return f"{UNIT_PREFIX}{_home_suffix(home)}.service"


def unit_folder() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "systemd" / "user"


def _systemd_quote(arg: str) -> str:
    """One ExecStart word: double-quoted, with systemd's specifiers (%) and variables ($)
    escaped."""
    text = arg.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$")
    return f'"{text}"'


def systemd_unit(command: list[str], home: StudioHome) -> str:
    exec_start = " ".join(_systemd_quote(a) for a in command)
    return f"""[Unit]
Description=Studio Truyen Thanh: outbox sender (pushes bulletins while the window is closed)
Documentation=file://{Path(home.root).resolve()}
After=network-online.target

[Service]
Type=simple
ExecStart={exec_start}
# SIGTERM ends the upload in progress at its next block, queues it again and frees the lease.
KillSignal=SIGTERM
TimeoutStopSec=30
Restart=on-failure
RestartSec=10

[Install]
WantedBy=default.target
"""


def windows_user() -> str:
    domain = os.environ.get("USERDOMAIN")
    user = os.environ.get("USERNAME") or getpass.getuser()
    return f"{domain}\\{user}" if domain else user


def task_xml(command: list[str], user: str, home: StudioHome) -> str:
    """A Task Scheduler 1.2 definition: at this user's logon, as this user, not elevated, no
    time limit (the default stops a task after 72 h), restarted after a crash."""
    exe, args = command[0], subprocess.list2cmdline(command[1:])
    return f"""<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>Studio Truyen Thanh: sends queued bulletins while the window is closed ({
        escape(str(Path(home.root)))
    }).</Description>
  </RegistrationInfo>
  <Triggers>
    <LogonTrigger>
      <Enabled>true</Enabled>
      <UserId>{escape(user)}</UserId>
    </LogonTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <UserId>{escape(user)}</UserId>
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <AllowHardTerminate>true</AllowHardTerminate>
    <StartWhenAvailable>true</StartWhenAvailable>
    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>
    <IdleSettings>
      <StopOnIdleEnd>false</StopOnIdleEnd>
      <RestartOnIdle>false</RestartOnIdle>
    </IdleSettings>
    <AllowStartOnDemand>true</AllowStartOnDemand>
    <Enabled>true</Enabled>
    <Hidden>false</Hidden>
    <RunOnlyIfIdle>false</RunOnlyIfIdle>
    <WakeToRun>false</WakeToRun>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
    <Priority>7</Priority>
    <RestartOnFailure>
      <Interval>PT1M</Interval>
      <Count>999</Count>
    </RestartOnFailure>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>{escape(exe)}</Command>
      <Arguments>{escape(args)}</Arguments>
      <WorkingDirectory>{escape(str(Path(home.root).resolve()))}</WorkingDirectory>
    </Exec>
  </Actions>
</Task>
"""


def install_plan(home: StudioHome, platform: str | None = None, start: bool = True) -> ServicePlan:
    platform = platform or current_platform()
    command = sender_command(home, "win32" if platform == "windows" else "linux")
    if platform == "windows":
        name = task_name(home)
        plan = ServicePlan(
            platform, name, command, task_xml=task_xml(command, windows_user(), home)
        )
        plan.commands.append(["schtasks", "/Create", "/TN", name, "/XML", "{xml}", "/F"])
        if start:
            plan.commands.append(["schtasks", "/Run", "/TN", name])
        return plan
    name = unit_name(home)
    plan = ServicePlan(
        platform, name, command, files={unit_folder() / name: systemd_unit(command, home)}
    )
    plan.commands.append(["systemctl", "--user", "daemon-reload"])
    plan.commands.append(["systemctl", "--user", "enable", *(["--now"] if start else []), name])
    return plan


def uninstall_plan(home: StudioHome, platform: str | None = None) -> ServicePlan:
    platform = platform or current_platform()
    command = sender_command(home, "win32" if platform == "windows" else "linux")
    if platform == "windows":
        name = task_name(home)
        plan = ServicePlan(platform, name, command)
        plan.commands.append(["schtasks", "/End", "/TN", name])
        plan.commands.append(["schtasks", "/Delete", "/TN", name, "/F"])
        return plan
    name = unit_name(home)
    plan = ServicePlan(platform, name, command, remove=[unit_folder() / name])
    plan.commands.append(["systemctl", "--user", "disable", "--now", name])
    plan.commands.append(["systemctl", "--user", "daemon-reload"])
    return plan


def _run(argv: list[str]) -> tuple[bool, str]:
    if shutil.which(argv[0]) is None:
        return False, f"{argv[0]} not found"
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return False, str(exc)
    return done.returncode == 0, (done.stderr or done.stdout).strip()


def install(home: StudioHome, start: bool = True) -> tuple[ServicePlan, list[str]]:
    """Install (and start) the background sender; the plan and the problems met (empty when
    everything worked). A Linux unit file is written even when systemd cannot be reached."""
    plan = install_plan(home, start=start)
    problems: list[str] = []
    for path, text in plan.files.items():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
        except OSError as exc:
            raise StudioError(
                f"Cannot write {path}: {exc.strerror or exc}.",
                f"Không ghi được {path}: {exc.strerror or exc}.",
            ) from exc
    xml_file = None
    try:
        if plan.task_xml:
            fd, xml_file = tempfile.mkstemp(suffix=".xml")
            with os.fdopen(fd, "wb") as f:
                f.write(plan.task_xml.encode("utf-16"))  # schtasks reads UTF-16 (with a BOM)
        for argv in plan.commands:
            argv = [xml_file if a == "{xml}" else a for a in argv]
            ok, output = _run(argv)
            if not ok:
                problems.append(f"{subprocess.list2cmdline(argv)}: {output}")
                break
    finally:
        if xml_file:
            Path(xml_file).unlink(missing_ok=True)
    if problems and plan.platform == "windows":
        raise StudioError(
            f"The logon task could not be created: {problems[0]}",
            f"Không tạo được tác vụ chạy khi đăng nhập: {problems[0]}",
        )
    return plan, problems


def uninstall(home: StudioHome) -> tuple[ServicePlan, list[str]]:
    plan = uninstall_plan(home)
    problems: list[str] = []
    for argv in plan.commands:
        ok, output = _run(argv)
        if not ok and plan.platform == "windows" and argv[1] == "/End":
            continue  # not running: nothing to end
        if not ok:
            problems.append(f"{subprocess.list2cmdline(argv)}: {output}")
    for path in plan.remove:
        path.unlink(missing_ok=True)
    if problems and plan.platform == "windows":
        raise StudioError(
            f"The logon task could not be removed: {problems[0]}",
            f"Không xoá được tác vụ chạy khi đăng nhập: {problems[0]}",
        )
    return plan, problems


def installed(home: StudioHome) -> bool:
    """Whether the background sender is installed for `home` (it may not be running)."""
    if current_platform() == "windows":
        ok, _ = _run(["schtasks", "/Query", "/TN", task_name(home)])
        return ok
    return (unit_folder() / unit_name(home)).is_file()


def start_background_sender(home: StudioHome, until_done: bool = True) -> int:
    """Start `studio outbox serve` detached from this process (the window is closing with
    items still queued); with `until_done` it stops once nothing is left to send. Its pid."""
    command = sender_command(home) + (["--until-done"] if until_done else [])
    kwargs: dict = {
        "stdin": subprocess.DEVNULL,
        "stdout": subprocess.DEVNULL,
        "stderr": subprocess.DEVNULL,
        "cwd": str(home.root),
        "close_fds": True,
    }
    if sys.platform == "win32":
        kwargs["creationflags"] = (
            subprocess.DETACHED_PROCESS
            | subprocess.CREATE_NEW_PROCESS_GROUP
            | subprocess.CREATE_NO_WINDOW
        )
    else:
        kwargs["start_new_session"] = True  # not ended with the window's terminal or session
    try:
        return subprocess.Popen(command, **kwargs).pid
    except OSError as exc:
        raise StudioError(
            f"The background sender could not be started: {exc.strerror or exc}.",
            f"Không khởi động được trình gửi nền: {exc.strerror or exc}.",
        ) from exc
