#!/usr/bin/env python3
"""The checks of build-aux/test-flatpak, run inside its private session.

build-aux/test-flatpak starts this under Xvfb and dbus-run-session, with HOME,
the Flatpak installations and XDG_RUNTIME_DIR inside its build folder and the
app installed. Each check talks to the project's simulator on loopback (the
CLI's `simulator` command, whose --request-log tells what arrived) and prints
PASS or FAIL with what it saw; the results are appended to
BUILD/flatpak-log.json.

What runs on the host: gnome-keyring (unlocked, secrets only),
xdg-desktop-portal with its GTK backend (started by the bus), Xvfb. What runs
in the sandbox: the app and its CLI, through `flatpak run`.
"""
import argparse
import hashlib
import json
import os
import pathlib
import secrets
import shutil
import signal
import subprocess
import sys
import time
import wave

APP_ID = 'io.github.mhstudio.MagicHourStudio'
APP_PATH = '/' + APP_ID.replace('.', '/')
CLI = 'magic-hour-studio-cli'
# Made for each run (letters and digits, which xdotool types as they are),
# so that finding it in clear text anywhere means it was written there.
KEY = 'mhk' + secrets.token_hex(12)
KEYRING_PASSWORD = 'flatpak-test'
# How the app and the portal's dialogs are named on the accessibility bus.
APP_NAMES = ('magic-hour-studio', 'Magic Hour Studio', APP_ID)
PORTAL_NAMES = ('xdg-desktop-portal-gtk',)
# The CLI's exit status for a network failure (mh-cli-progress.h).
EXIT_NETWORK = 4

REPORT = (os.fdopen(int(os.environ['FLATPAK_TEST_REPORT_FD']), 'w', closefd=False)
          if 'FLATPAK_TEST_REPORT_FD' in os.environ else sys.stdout)


class CheckFailed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


def wait_for(what, predicate, timeout, interval=0.1):
    """Calls @predicate until it returns something true, for at most @timeout
    seconds: how the checks wait on other processes (a window, a file)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise CheckFailed(f'{what}: not within {timeout:g} s')
        time.sleep(interval)


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


class Session:
    """What the checks share: folders, the keyring, the inputs."""

    def __init__(self, build_dir, cli):
        self.build = build_dir
        self.cli = cli
        self.home = pathlib.Path(os.environ['HOME'])
        self.app_home = self.home / '.var' / 'app' / APP_ID
        self.app_data = self.app_home / 'data'
        self.screenshots = build_dir / 'screenshots'
        self.outside = build_dir / 'host-files'    # what the sandbox cannot see
        self.keyring = None

    def prepare(self):
        shutil.rmtree(self.build / 'app-logs', ignore_errors=True)
        shutil.rmtree(self.screenshots, ignore_errors=True)
        self.screenshots.mkdir(parents=True)
        shutil.rmtree(self.outside, ignore_errors=True)
        self.outside.mkdir(parents=True)
        # A face-sized gradient and one second of a tone: files the engine
        # probes as a picture and as audio.
        subprocess.run(['convert', '-size', '640x640', 'gradient:#d9a066-#4b2e1a',
                        '-fill', '#f1c27d', '-draw', 'circle 320,300 320,140',
                        str(self.outside / 'portrait.png')], check=True)
        with wave.open(str(self.outside / 'voice.wav'), 'wb') as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(16000)
            w.writeframes(b''.join(
                int(8000 * ((i // 40) % 2 * 2 - 1)).to_bytes(2, 'little', signed=True)
                for i in range(16000)))
        # The same files where the sandbox sees them: the app's own folder.
        inputs = self.app_data / 'inputs'
        inputs.mkdir(parents=True)
        for name in ('portrait.png', 'voice.wav'):
            shutil.copy(self.outside / name, inputs / name)
        # Something in the host's HOME the sandbox must not see.
        (self.home / 'Documents').mkdir(parents=True, exist_ok=True)
        (self.home / 'Documents' / 'private.txt').write_text('host only\n', encoding='utf-8')
        self.start_keyring()

    def start_keyring(self):
        """gnome-keyring's Secret Service, its login collection unlocked: what
        the Secret portal's gnome-keyring backend stores the app's secret in."""
        self.keyring = subprocess.Popen(
            ['gnome-keyring-daemon', '--foreground', '--unlock', '--components=secrets'],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.keyring.stdin.write(KEYRING_PASSWORD.encode())
        self.keyring.stdin.close()
        wait_for('the keyring on the session bus', lambda: bus_has('org.freedesktop.secrets'), 15)

    def stop(self):
        if self.keyring is not None:
            self.keyring.terminate()
            self.keyring.wait(10)


def bus_has(name):
    out = subprocess.run(['gdbus', 'call', '--session', '--dest', 'org.freedesktop.DBus',
                          '--object-path', '/org/freedesktop/DBus',
                          '--method', 'org.freedesktop.DBus.NameHasOwner', name],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return '(true,)' in out.stdout


class Simulator:
    """The project's simulator on 127.0.0.1, in a process of its own."""

    def __init__(self, session, name, *options):
        self.log_path = session.build / f'simulator-{name}.jsonl'
        self.log_path.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [session.cli, 'simulator', '--render-seconds', '1', '--request-log', str(self.log_path),
             *options], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.url = self.process.stdout.readline().strip()
        expect(self.url.startswith('http://127.0.0.1:'), f'the simulator did not start ({self.url!r})')
        self.requests = None

    def stop(self):
        """Stops it and reads what it received."""
        if self.requests is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(20)
            lines = self.log_path.read_text(encoding='utf-8').splitlines()
            self.requests = [json.loads(line) for line in lines if line]
        return self.requests

    def uploads(self):
        return [r for r in self.stop() if r['method'] == 'PUT' and r['status'] in (200, 201)]


def flatpak_run(args, timeout=120, **kwargs):
    return subprocess.run(['flatpak', 'run', *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, errors='replace',
                          timeout=timeout, **kwargs)


def run_cli(session, args, sim=None, flatpak_options=(), key=True, forward=None, timeout=120):
    """The CLI inside the sandbox. @forward: host files handed in through the
    document portal (--file-forwarding), which replace '{0}', '{1}' in @args."""
    options = list(flatpak_options)
    if sim is not None:
        options.append(f'--env=MAGIC_HOUR_API_BASE_URL={sim.url}')
    if key:
        options.append(f'--env=MAGIC_HOUR_API_KEY={KEY}')
    if forward:
        options.append('--file-forwarding')
        placed = []
        for arg in args:
            if arg.startswith('{') and arg.endswith('}'):
                placed += ['@@', str(forward[int(arg[1:-1])]), '@@']
            else:
                placed.append(arg)
        args = placed
    return flatpak_run([*options, f'--command={CLI}', APP_ID, *args], timeout=timeout)


class App:
    """The app in the sandbox, its window found on the X display."""

    launches = 0

    def __init__(self, session, args=(), options=()):
        self.session = session
        # Its output to a file of its own (a pipe nobody reads could fill up
        # and stop the app).
        App.launches += 1
        self.log_path = session.build / 'app-logs' / f'{App.launches}.log'
        self.log_path.parent.mkdir(exist_ok=True)
        with open(self.log_path, 'w', encoding='utf-8') as log:
            # Never the key itself: the secret-portal check looks for it.
            command = ' '.join([*options, APP_ID, *args]).replace(KEY, '<key>')
            log.write(f'flatpak run {command}\n')
            log.flush()
            self.process = subprocess.Popen(['flatpak', 'run', *options, APP_ID, *args],
                                            stdout=log, stderr=log)
        self.started = time.monotonic()
        self.window = None

    def find_window(self, timeout=10):
        def visible():
            out = subprocess.run(['xdotool', 'search', '--onlyvisible', '--name', 'Magic Hour Studio'],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            return out.stdout.split()
        self.window = wait_for('the app’s window', visible, timeout)[0]
        return time.monotonic() - self.started

    def actions(self, path):
        return ['gdbus', 'call', '--session', '--dest', APP_ID, '--object-path', path]

    def activate(self, action, window=True):
        """Activates a window (win.) or application (app.) action over D-Bus,
        as GtkApplication exports them, once it is enabled."""
        path = f'{APP_PATH}/window/1' if window else APP_PATH

        def enabled():
            out = subprocess.run(self.actions(path) + ['--method', 'org.gtk.Actions.Describe', action],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            return out.stdout.startswith('((true,')
        wait_for(f'the action {action} enabled', enabled, 30, interval=0.2)
        subprocess.run(self.actions(path) + ['--method', 'org.gtk.Actions.Activate', action, '[]', '{}'],
                       check=True, stdout=subprocess.DEVNULL)

    def screenshot(self, name):
        path = self.session.screenshots / f'{name}.png'
        subprocess.run(['import', '-window', 'root', str(path)], check=True)
        return path

    def quit(self):
        """Ends the sandboxed app: `flatpak kill` (SIGTERM to `flatpak run`
        would leave the sandbox running)."""
        subprocess.run(['flatpak', 'kill', APP_ID], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            for pid in sandbox_pids():
                os.kill(pid, signal.SIGKILL)
            self.process.kill()
            self.process.wait(10)
        wait_for('the sandbox to end', lambda: not sandbox_pids(), 15)


def Atspi():
    """libatspi, through the host's python3-gi: the session's accessibility
    bus, which `flatpak run` proxies for the app, tells when a window has the
    keyboard, so the checks type only then."""
    import gi
    gi.require_version('Atspi', '2.0')
    from gi.repository import Atspi as module
    return module


def accessible_apps():
    desktop = Atspi().get_desktop(0)
    return [app for app in (desktop.get_child_at_index(i) for i in range(desktop.get_child_count()))
            if app is not None]


def accessible_window(app_names, title):
    for app in accessible_apps():
        if app.get_name() not in app_names:
            continue
        for i in range(app.get_child_count()):
            window = app.get_child_at_index(i)
            if window is not None and (title is None or window.get_name() == title):
                return window
    return None


def subtree(node):
    todo = [node]
    while todo:
        node = todo.pop()
        yield node
        for i in range(node.get_child_count()):
            child = node.get_child_at_index(i)
            if child is not None:
                todo.append(child)


def active_window(app_names, title=None):
    """The app's window called @title (any for None) once it has the
    keyboard (the toolkit says it is active), else None."""
    window = accessible_window(app_names, title)
    if window is None or not window.get_state_set().contains(Atspi().StateType.ACTIVE):
        return None
    return window


def find_text(window, name=None, focused=False):
    """An editable text in @window: by its accessible name, or the one with
    the keyboard focus."""
    A = Atspi()
    if window is None:
        return None
    for node in subtree(window):
        states = node.get_state_set()
        if not states.contains(A.StateType.EDITABLE):
            continue
        if (name is not None and node.get_name() == name) or (focused and states.contains(A.StateType.FOCUSED)):
            return node
    return None


def button_sensitive(window, name):
    A = Atspi()
    for node in subtree(window) if window is not None else ():
        if node.get_role() == A.Role.PUSH_BUTTON and (node.get_name() or '').replace('_', '') == name:
            states = node.get_state_set()
            return states.contains(A.StateType.SHOWING) and states.contains(A.StateType.SENSITIVE)
    return False


def text_of(node):
    text = node.get_text_iface()
    return text.get_text(0, -1) if text else None


def click(window, x, y):
    subprocess.run(['xdotool', 'mousemove', '--window', window, str(x), str(y), 'click', '1'], check=True)


def sandbox_pids():
    out = subprocess.run(['flatpak', 'ps', '--columns=application,child-pid'],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return [int(fields[1]) for fields in (line.split() for line in out.stdout.splitlines())
            if len(fields) == 2 and fields[0] == APP_ID and fields[1].isdigit()]


def colours(path):
    out = subprocess.run(['identify', '-format', '%k', str(path)], stdout=subprocess.PIPE, text=True)
    return int(out.stdout.strip() or 0)


def results_in(folder):
    return sorted(p for p in folder.rglob('*') if p.is_file() and not p.name.endswith('.part'))


# ---------------------------------------------------------------------------
# The checks


def check_window(s):
    """--demo starts in the sandbox and shows its window within 10 s."""
    app = App(s, ['--demo'])
    try:
        seconds = app.find_window(10)
        # Drawn, not only mapped (the screenshot has the window's colours),
        # within the same 10 s.
        wait_for('the window drawn', lambda: colours(app.screenshot('window')) > 100,
                 max(0.5, 10 - (time.monotonic() - app.started)), interval=0.3)
        shot = s.screenshots / 'window.png'
        return f'window shown in {seconds:.1f} s and drawn; screenshot {shot}'
    finally:
        app.quit()


def check_network(s):
    """With the manifest's --share=network the CLI and the app reach the
    simulator on loopback and finish a job; results and job records land in
    the app's own data folder."""
    sim = Simulator(s, 'network')
    inputs = s.app_data / 'inputs'
    cli_out = s.app_data / 'results' / 'cli'
    cli_out.mkdir(parents=True, exist_ok=True)
    try:
        run = run_cli(s, ['talking-photo', '--image', str(inputs / 'portrait.png'),
                          '--audio', str(inputs / 'voice.wav'), '--start', '0', '--end', '1',
                          '-o', str(cli_out)], sim)
        expect(run.returncode == 0, f'the CLI job failed ({run.returncode}): {run.stderr.strip()}')
        expect(results_in(cli_out), f'no result in {cli_out}')

        app = App(s, ['--tool', 'headshot', str(inputs / 'portrait.png')],
                  [f'--env=MAGIC_HOUR_API_BASE_URL={sim.url}', f'--env=MAGIC_HOUR_API_KEY={KEY}'])
        try:
            app.find_window(20)
            app.activate('generate')
            pictures = s.app_data / 'results' / 'pictures'
            wait_for('the app’s result in results/pictures',
                     lambda: pictures.is_dir() and results_in(pictures), 90, interval=0.5)
            app.screenshot('network-app')
        finally:
            app.quit()
    finally:
        sim.stop()
    jobs = sorted((s.app_data / 'magic-hour-studio' / 'jobs').glob('*'))
    expect(len(jobs) >= 2, f'job records: {[j.name for j in jobs]}')
    return (f'CLI result {results_in(cli_out)[0].name}, app result in results/pictures, '
            f'{len(jobs)} job records in data/magic-hour-studio/jobs')


def check_no_network(s):
    """With --unshare=network the job fails with the engine's network
    sentence: on the CLI's stderr, and in the app's window."""
    sentence = 'this app is not allowed to use the network'
    sim = Simulator(s, 'no-network')
    photo = s.app_data / 'inputs' / 'portrait.png'
    try:
        run = run_cli(s, ['headshot', '--image', str(photo), '-o', str(s.app_data / 'results' / 'cli')],
                      sim, flatpak_options=['--unshare=network'])
        expect(run.returncode == EXIT_NETWORK,
               f'CLI exit {run.returncode}, not {EXIT_NETWORK}: {run.stderr.strip()}')
        said = [line for line in run.stderr.splitlines() if sentence in line]
        expect(said, f'not the network sentence: {run.stderr.strip()}')
        message = said[0].strip().removeprefix('Error: ')

        app = App(s, ['--tool', 'headshot', str(photo)],
                  ['--unshare=network', f'--env=MAGIC_HOUR_API_BASE_URL={sim.url}',
                   f'--env=MAGIC_HOUR_API_KEY={KEY}'])
        try:
            app.find_window(20)
            app.activate('generate')
            # The job's page says it whole (History's rows say "Failed: …").
            wait_for('the sentence on the job’s page',
                     lambda: find_named(accessible_window(APP_NAMES, 'Magic Hour Studio'), message),
                     60, interval=0.5)
            app.screenshot('no-network-app')
        finally:
            app.quit()
    finally:
        sim.stop()
    expect(not sim.requests, f'the simulator was reached: {sim.requests}')
    return f'CLI exit {run.returncode} and the app’s job page: “{message}”'


def check_document_portal(s):
    """A host file handed in with --file-forwarding goes through the document
    portal and is uploaded byte for byte."""
    sim = Simulator(s, 'document-portal')
    out = s.app_data / 'results' / 'forwarded'
    out.mkdir(parents=True, exist_ok=True)
    photo, voice = s.outside / 'portrait.png', s.outside / 'voice.wav'
    try:
        # The same files by their host paths: not in the sandbox.
        direct = run_cli(s, ['talking-photo', '--dry-run', '--start', '0', '--end', '1',
                              '--image', str(photo), '--audio', str(voice)], sim)
        expect(direct.returncode == 2 and photo.name in direct.stderr,
               f'a host file not handed in: exit {direct.returncode}, {direct.stderr.strip()}')
        run = run_cli(s, ['talking-photo', '-o', str(out), '--start', '0', '--end', '1',
                          '--image', '{0}', '--audio', '{1}'], sim,
                      forward=[photo, voice])
    finally:
        sim.stop()
    expect(run.returncode == 0, f'the forwarded job failed ({run.returncode}): {run.stderr.strip()}')
    sent = {r['body_sha256'] for r in sim.uploads()}
    for path in (photo, voice):
        expect(sha256_file(path) in sent, f'{path.name} did not arrive byte for byte')
    return f'{photo.name} and {voice.name} uploaded byte for byte (SHA-256 of the PUT bodies)'


def check_data_folders(s):
    """Results in the app's data folder, job records in its jobs/ folder, and
    the sandbox sees nothing of the host's HOME but .var/app/<id>."""
    inside = flatpak_run(['--command=sh', APP_ID, '-c',
                          'ls -A "$HOME"; test -e "$HOME/Documents/private.txt" && echo SEEN; '
                          'echo "DATA=$XDG_DATA_HOME"'])
    expect(inside.returncode == 0, f'sh in the sandbox failed: {inside.stderr.strip()}')
    lines = inside.stdout.split()
    expect('SEEN' not in lines, 'the sandbox read a file of the host’s HOME')
    listing = [line for line in lines if not line.startswith('DATA=')]
    expect(listing == ['.var'], f'HOME in the sandbox holds {listing}')
    expect(f'DATA={s.app_data}' in lines, f'XDG_DATA_HOME is not the app’s data folder: {lines}')
    results = results_in(s.app_data / 'results')
    jobs = list((s.app_data / 'magic-hour-studio' / 'jobs').glob('*'))
    expect(results, 'no result in the app’s data folder (the jobs of the checks before make them)')
    expect(jobs, 'no job record in data/magic-hour-studio/jobs (the jobs of the checks before make them)')
    written = written_outside_app(s)
    expect(not written, f'written to the host’s HOME outside .var/app/{APP_ID}: {written}')
    return (f'HOME in the sandbox: .var only; {len(results)} results under data/results, '
            f'{len(jobs)} job records; nothing else written in the host’s HOME')


# What the host's own services write in HOME (not the app): gnome-keyring's
# keyrings, the portals' permission store, the portal's file chooser (a GTK 3
# host process) its recent files, `flatpak run`'s instance data, and what the
# checks put there.
HOST_SERVICE_PATHS = ('.local/share/keyrings/', '.local/share/flatpak/db/', '.cache/.flatpak/',
                      '.local/share/recently-used.xbel',
                      'Documents/private.txt', 'Pictures/portrait.png', '.var/app/' + APP_ID + '/')


def written_outside_app(s):
    found = []
    for path in s.home.rglob('*'):
        if path.is_dir():
            continue
        name = str(path.relative_to(s.home))
        if not name.startswith(HOST_SERVICE_PATHS):
            found.append(name)
    return found


def check_secret_portal(s):
    """The key saved through Preferences goes through the Secret portal into
    the app's own encrypted keyring file, and is read back after a restart by
    the app and by the CLI (each simulator accepts only that key)."""
    keyring_file = s.app_data / 'keyrings' / 'default.keyring'
    sim = Simulator(s, 'secret-portal-save', f'--require-key={KEY}')
    try:
        app = App(s, [], [f'--env=MAGIC_HOUR_API_BASE_URL={sim.url}'])
        try:
            app.find_window(20)
            app.activate('preferences', window=False)
            prefs = wait_for('the Preferences window', lambda: subprocess.run(
                ['xdotool', 'search', '--onlyvisible', '--name', '^Preferences$'],
                stdout=subprocess.PIPE, text=True).stdout.split(), 15)[0]
            # The API Key row, first in the window: a click there gives it the
            # keyboard (without a window manager the keyboard follows the pointer).
            window = wait_for('Preferences with the keyboard',
                              lambda: active_window(APP_NAMES, 'Preferences'), 15, interval=0.2)
            entry = find_text(window, name='API Key')
            expect(entry is not None, 'no API Key entry in Preferences')
            click(prefs, 250, 170)
            subprocess.run(['xdotool', 'type', '--delay', '20', KEY], check=True)
            subprocess.run(['xdotool', 'key', 'Return'], check=True)
            wait_for('the key in data/keyrings/default.keyring', keyring_file.exists, 30, interval=0.3)
            app.screenshot('secret-portal-saved')
        finally:
            app.quit()
    finally:
        sim.stop()

    clear = [str(p.relative_to(s.build)) for p in s.build.rglob('*')
             if p.is_file() and not p.is_symlink() and contains(p, KEY.encode())]
    expect(not clear, f'the key is in clear text in {clear}')

    # After a restart, with no key in the environment: what the app and the
    # CLI send is the key they read back through the portal.
    sim = Simulator(s, 'secret-portal-app', f'--require-key={KEY}')
    try:
        app = App(s, [], [f'--env=MAGIC_HOUR_API_BASE_URL={sim.url}'])
        try:
            app.find_window(20)
            wait_for('the tools (not the welcome page)', lambda: app_reached_tools(app), 30, interval=0.5)
            app.screenshot('secret-portal-restarted')
        finally:
            app.quit()
    finally:
        sim.stop()
    accepted = [r for r in sim.requests if r['endpoint'] == 'account' and r['status'] == 200]
    expect(accepted, f'the app did not send the stored key: {sim.requests}')

    sim = Simulator(s, 'secret-portal-cli', f'--require-key={KEY}')
    try:
        run = run_cli(s, ['account'], sim, key=False)
    finally:
        sim.stop()
    expect(run.returncode == 0, f'the CLI did not read the key ({run.returncode}): {run.stderr.strip()}')
    expect(all(r['status'] == 200 for r in sim.requests), f'refused: {sim.requests}')
    return ('saved through the portal into data/keyrings/default.keyring (not in clear anywhere), '
            'read back after a restart by the app and by the CLI')


def app_reached_tools(app):
    out = subprocess.run(app.actions(f'{APP_PATH}/window/1') + ['--method', 'org.gtk.Actions.Describe',
                                                                 'choose-file'],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return out.stdout.startswith('((true,')


def contains(path, needle):
    try:
        with open(path, 'rb') as f:
            return needle in f.read()
    except OSError:
        return False


def find_named(window, name, part=False):
    """Whether @window has something called @name (or whose name holds it).
    (GTK 4.8 does not tell what is on screen: no SHOWING state.)"""
    if window is None:
        return False
    return any(node.get_name() == name or (part and name in (node.get_name() or ''))
               for node in subtree(window))


def check_file_chooser(s):
    """The file chooser goes through the portal: its dialog appears, and the
    file chosen there arrives in the slot (and is uploaded byte for byte)."""
    sim = Simulator(s, 'file-chooser')
    photo = s.home / 'Pictures' / 'portrait.png'
    photo.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(s.outside / 'portrait.png', photo)
    try:
        app = App(s, ['--tool', 'headshot'],
                  [f'--env=MAGIC_HOUR_API_BASE_URL={sim.url}', f'--env=MAGIC_HOUR_API_KEY={KEY}'])
        try:
            app.find_window(20)
            app.activate('choose-file')
            dialog = wait_for('the portal’s file chooser', lambda: portal_dialog(app.window), 20, interval=0.3)
            app.screenshot('file-chooser-portal')
            # Ctrl+L opens the dialog's location entry (once the dialog has the
            # keyboard); the path is set there in one change, as a screen
            # reader can. The chooser makes Open sensitive only after the
            # entry settles; Return before that does nothing.
            wait_for('the file chooser with the keyboard', lambda: active_window(PORTAL_NAMES), 15,
                     interval=0.2)
            click(dialog, 600, 400)
            subprocess.run(['xdotool', 'key', 'ctrl+l'], check=True)
            location = wait_for('the location entry with the keyboard',
                                lambda: find_text(active_window(PORTAL_NAMES), focused=True), 15,
                                interval=0.2)
            expect(location.get_editable_text_iface().set_text_contents(str(photo)),
                   'the location entry refused the path')
            wait_for('the path in the location entry', lambda: text_of(location) == str(photo), 10)
            wait_for('Open sensitive', lambda: button_sensitive(active_window(PORTAL_NAMES), 'Open'), 10)
            subprocess.run(['xdotool', 'key', 'Return'], check=True)
            wait_for('the dialog closed', lambda: not portal_dialog(app.window), 20, interval=0.3)
            wait_for(f'{photo.name} in the Photo slot',
                     lambda: find_named(accessible_window(APP_NAMES, 'Magic Hour Studio'), photo.name,
                                        part=True), 15, interval=0.3)
            app.screenshot('file-chooser-chosen')
            pictures = s.app_data / 'results' / 'pictures'
            before = set(results_in(pictures)) if pictures.is_dir() else set()
            app.activate('generate')
            wait_for('the result', lambda: set(results_in(pictures)) - before if pictures.is_dir() else None,
                     90, interval=0.5)
            app.screenshot('file-chooser-done')
        finally:
            app.quit()
    finally:
        sim.stop()
    expect(sha256_file(photo) in {r['body_sha256'] for r in sim.uploads()},
           'the chosen file did not arrive byte for byte')
    return f'{photo.name} chosen in the portal’s dialog, uploaded byte for byte'


def portal_dialog(app_window):
    """A visible window of xdg-desktop-portal-gtk (a host process), not the app's."""
    out = subprocess.run(['xdotool', 'search', '--onlyvisible', '--name', '.'],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for wid in out.stdout.split():
        if wid == app_window:
            continue
        pid = subprocess.run(['xdotool', 'getwindowpid', wid], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True).stdout.strip()
        try:
            command = pathlib.Path(f'/proc/{pid}/cmdline').read_bytes()
        except OSError:
            continue
        if b'xdg-desktop-portal-gtk' in command:
            return wid
    return None


CHECKS = [
    ('window', check_window),
    ('network', check_network),
    ('no-network', check_no_network),
    ('document-portal', check_document_portal),
    ('secret-portal', check_secret_portal),
    ('file-chooser', check_file_chooser),
    ('data-folders', check_data_folders),
]


def report(line):
    """A result line, on the stdout of build-aux/test-flatpak (this process's
    stdout is the session's log)."""
    print(line, file=REPORT, flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--build-dir', required=True)
    parser.add_argument('--cli', required=True)
    parser.add_argument('--check', action='append')
    args = parser.parse_args()
    build = pathlib.Path(args.build_dir)
    session = Session(build, args.cli)
    failed = 0
    try:
        session.prepare()
    except (CheckFailed, OSError, subprocess.SubprocessError) as error:
        report(f'FAIL session: {error}')
        record(build, 'session', False)
        return 1
    try:
        for name, check in CHECKS:
            if args.check and name not in args.check:
                continue
            start = time.monotonic()
            try:
                detail = check(session)
                report(f'PASS {name}: {detail} ({time.monotonic() - start:.1f} s)')
                record(build, name, True)
            except (CheckFailed, OSError, subprocess.SubprocessError) as error:
                report(f'FAIL {name}: {error} ({time.monotonic() - start:.1f} s)')
                record(build, name, False)
                failed += 1
    finally:
        session.stop()
    if failed:
        report(f'What the failed checks left: {build}/session.log (the daemons), {build}/app-logs/, '
               f'{build}/simulator-*.jsonl (what the simulator received), {build}/screenshots/')
    return 1 if failed else 0


def record(build, name, ok):
    with open(build / 'flatpak-log.json', 'a', encoding='utf-8') as f:
        f.write(json.dumps({'name': f'flatpak / {name}', 'result': 'OK' if ok else 'FAIL'}) + '\n')


if __name__ == '__main__':
    sys.exit(main())
