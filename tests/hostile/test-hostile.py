#!/usr/bin/env python3
"""magic-hour-studio-cli against a broken or hostile API (hostile_server.py).

For each class of answer, the real CLI is run as a script would run it and
must end cleanly: within a bounded time, with a peak RSS under 64 MiB (the
kernel's own accounting of the finished process), with a sentence on
standard error (or, for status, a bounded answer on standard output), with an exit status of its own (never a signal), and with
nothing written outside the output folder and its job history.

The engine's waits are shortened alike with MAGIC_HOUR_STUDIO_TIME_SCALE
(its deadline of 60 s per request becomes 3 s), so a trickling answer is
given up on in seconds; the deadline itself is what is tested.

Prints TAP. Usage: test-hostile.py --cli PATH
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hostile_server  # noqa: E402

KEY = 'mhk_live_hostile_test_SECRET_42'
TIME_SCALE = 0.05
MAX_RSS_KIB = 64 * 1024
# Wall-clock bound of one run, with the scaled waits (the real ones: 5 min).
MAX_SECONDS = 60
EXIT_NETWORK = 4
EXIT_REFUSED = 3

UNREADABLE = "answer could not be read"

# (name, mode, command, expected exit statuses, what stderr must say)
CASES = [
    ('status/deep', 'deep', 'status', {EXIT_NETWORK}, [UNREADABLE, 'nested more than 64 levels deep']),
    ('status/huge', 'huge', 'status', {EXIT_NETWORK}, [UNREADABLE, 'larger than']),
    ('status/chunked-huge', 'chunked-huge', 'status', {EXIT_NETWORK}, [UNREADABLE, 'larger than']),
    ('status/trickle', 'trickle', 'status', {EXIT_NETWORK}, [UNREADABLE, 'did not arrive in full']),
    ('status/not-json', 'not-json', 'status', {EXIT_NETWORK}, [UNREADABLE, 'not valid JSON']),
    ('status/redirect-file', 'redirect-file', 'status', {EXIT_NETWORK}, [UNREADABLE]),
    ('status/redirect-loop', 'redirect-loop', 'status', {EXIT_NETWORK}, [UNREADABLE]),
    # An error status says what it says, whatever its body is like.
    ('status/404-huge', '404-huge', 'status', {EXIT_REFUSED}, ['has no video or image project']),
    ('status/404-trickle', '404-trickle', 'status', {EXIT_REFUSED}, ['has no video or image project']),
    # A job whose status answers cannot be read is not polled for its whole
    # poll timeout: it ends, naming the project to pick up later.
    ('headshot/not-json', 'not-json', 'headshot', {EXIT_NETWORK},
     [UNREADABLE, hostile_server.PROJECT_ID]),
    ('headshot/deep', 'deep', 'headshot', {EXIT_NETWORK}, [UNREADABLE, hostile_server.PROJECT_ID]),
    ('headshot/trickle', 'trickle', 'headshot', {EXIT_NETWORK}, [UNREADABLE, hostile_server.PROJECT_ID]),
    ('download/file-url', 'download-file-url', 'download', {EXIT_NETWORK, EXIT_REFUSED}, ['not a web address']),
    ('download/ftp-url', 'download-ftp-url', 'download', {EXIT_NETWORK, EXIT_REFUSED}, ['not a web address']),
    ('download/thousands', 'thousands', 'download', {EXIT_NETWORK, EXIT_REFUSED}, ['10000']),
    # status shows as many links as a job would download, and the count of the rest.
    ('status/thousands', 'thousands', 'status', {0}, ['…and 9968 more download links']),
]
# No command prints more lines than this on standard output.
MAX_STDOUT_LINES = 50


def sanitized(cli):
    """An AddressSanitizer build maps terabytes of shadow memory: its RSS
    says nothing about the program's own."""
    try:
        out = subprocess.run(['ldd', cli], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return False
    return 'libasan' in out or 'libclang_rt.asan' in out


def run_cli(cli, args, env, cwd):
    """Runs the CLI; returns (exit status or -signal, stdout, stderr, seconds, peak RSS in KiB)."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out:
        process = subprocess.Popen([cli, *args], env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                                   stdout=out, stderr=err)
        # A run that goes past the bound is killed (and fails the case).
        killer = threading.Timer(MAX_SECONDS, process.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            killer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode('utf-8', errors='replace')
        out.seek(0)
        stdout = out.read().decode('utf-8', errors='replace')
    return process.returncode, stdout, stderr, time.monotonic() - started, usage.ru_maxrss


def files_under(top, skip):
    found = []
    for root, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if os.path.join(root, d) not in skip]
        found += [os.path.relpath(os.path.join(root, f), top) for f in files]
    return sorted(found)


def run_case(cli, name, mode, command, statuses, phrases, check_rss):
    problems = []
    tmp = tempfile.mkdtemp(prefix='mh-hostile-')
    try:
        home = os.path.join(tmp, 'home')
        cwd = os.path.join(tmp, 'cwd')
        out = os.path.join(tmp, 'out')
        jobs = os.path.join(home, 'data', 'magic-hour-studio')
        for d in (home, cwd):
            os.makedirs(d)
        photo = os.path.join(tmp, 'photo.png')
        with open(photo, 'wb') as f:
            f.write(hostile_server.PNG)

        with hostile_server.HostileServer(mode) as server:
            env = dict(os.environ)
            env.update(HOME=home, XDG_DATA_HOME=os.path.join(home, 'data'),
                       XDG_CONFIG_HOME=os.path.join(home, 'config'),
                       XDG_CACHE_HOME=os.path.join(home, 'cache'),
                       MAGIC_HOUR_API_KEY=KEY, MAGIC_HOUR_API_BASE_URL=server.base_url,
                       MAGIC_HOUR_STUDIO_TIME_SCALE=str(TIME_SCALE),
                       GSETTINGS_BACKEND='memory', LANGUAGE='C', LC_ALL='C.UTF-8', no_proxy='127.0.0.1', NO_PROXY='127.0.0.1')
            if command == 'status':
                args = ['status', hostile_server.PROJECT_ID]
            elif command == 'download':
                args = ['download', hostile_server.PROJECT_ID, '--output-dir', out]
            else:
                args = ['headshot', '--image', f'{server.base_url}/file/photo.png', '--output-dir', out]
            status, stdout, stderr, seconds, rss = run_cli(cli, args, env, cwd)
            requests = len(server.requests)

        print(f'# {name}: exit {status} in {seconds:.1f} s, peak RSS {rss // 1024} MiB, '
              f'{requests} requests')
        for line in stderr.strip().splitlines()[-3:]:
            print(f'#   {line}')

        if status < 0:
            problems.append(f'killed by signal {-status}')
        elif status not in statuses:
            problems.append(f'exit status {status}, expected one of {sorted(statuses)}')
        if seconds >= MAX_SECONDS:
            problems.append(f'still running after {MAX_SECONDS} s')
        if check_rss and rss >= MAX_RSS_KIB:
            problems.append(f'peak RSS {rss} KiB, over {MAX_RSS_KIB} KiB')
        for phrase in phrases:
            if phrase not in stderr and phrase not in stdout:
                problems.append(f'neither stdout nor stderr says “{phrase}”')
        if len(stdout.splitlines()) > MAX_STDOUT_LINES:
            problems.append(f'{len(stdout.splitlines())} lines on stdout')
        # Nothing outside the output folder and the history; nothing
        # fetched from file:// anywhere.
        stray = files_under(tmp, {out, jobs})
        stray = [f for f in stray if f != 'photo.png']
        if stray:
            problems.append(f'files written outside the output folder: {stray[:5]}')
        if os.path.isdir(out):
            for f in files_under(out, set()):
                with open(os.path.join(out, f), 'rb') as data:
                    if b'root:' in data.read(4096):
                        problems.append(f'{f} holds /etc/passwd')
            if mode != 'thousands' and os.listdir(out):
                problems.append(f'the output folder is not empty: {os.listdir(out)[:5]}')
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--cli', required=True)
    parser.add_argument('cases', nargs='*', help='names of the cases to run (default: all)')
    options = parser.parse_args()
    options.cli = os.path.abspath(options.cli)

    cases = [c for c in CASES if not options.cases or c[0] in options.cases]
    check_rss = not sanitized(options.cli)
    print(f'1..{len(cases)}')
    if not check_rss:
        print('# peak RSS not checked: the CLI is built with AddressSanitizer')
    failed = 0
    for number, (name, mode, command, statuses, phrases) in enumerate(cases, 1):
        problems = run_case(options.cli, name, mode, command, statuses, phrases, check_rss)
        if problems:
            failed += 1
            print(f'not ok {number} {name}')
            for problem in problems:
                print(f'#   {problem}')
        else:
            print(f'ok {number} {name}')
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
