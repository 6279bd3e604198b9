#!/usr/bin/env python3
"""With LANGUAGE=de, the command-line tool's --help and errors and the app's
--help come out in German, from the build tree's translations.

The programs read their translations from MAGIC_HOUR_STUDIO_LOCALEDIR when it
is set (the build's po/ folder), else from the installed LOCALEDIR.

Usage: check-german.py --localedir BUILD/po --cli CLI --app APP
"""
import argparse
import os
import subprocess
import sys


def run(program, args, language, localedir):
    env = dict(os.environ)
    for name in ('LC_ALL', 'LC_MESSAGES', 'LANG', 'LANGUAGE'):
        env.pop(name, None)
    # LANGUAGE is ignored under the plain C locale; C.UTF-8 is built into glibc.
    env.update(LANG='C.UTF-8', LC_ALL='C.UTF-8', LANGUAGE=language,
               MAGIC_HOUR_STUDIO_LOCALEDIR=localedir)
    return subprocess.run([program, *args], env=env, capture_output=True, text=True,
                          timeout=60)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--localedir', required=True)
    parser.add_argument('--cli', required=True)
    parser.add_argument('--app', required=True)
    options = parser.parse_args()

    # (what, program, arguments, expected exit status, stream, English, German)
    checks = [
        ('the CLI\'s --help', options.cli, ['--help'], 0, 'stdout',
         'Commands:', 'Befehle:'),
        ('the CLI\'s error for an unknown command', options.cli, ['no-such-command'], 2, 'stderr',
         'Error: unknown command', 'Fehler: Unbekannter Befehl'),
        ('the CLI\'s help of a command', options.cli, ['headshot', '--help'], 0, 'stdout',
         'A photo with exactly one face', 'Ein Foto mit genau einem Gesicht'),
        ('the app\'s --help', options.app, ['--help'], 0, 'stdout',
         'Try the app with a simulator', 'Die App mit einem Simulator der API ausprobieren'),
    ]

    failures = 0
    for what, program, args, status, stream, english, german in checks:
        for language, expected in (('C', english), ('de', german)):
            result = run(program, args, language, options.localedir)
            text = getattr(result, stream)
            if result.returncode != status or expected not in text:
                failures += 1
                print(f'FAIL {what} with LANGUAGE={language}: exit {result.returncode} '
                      f'(expected {status}), “{expected}” not in its {stream}:\n{text}')
            else:
                print(f'ok   {what} with LANGUAGE={language}')

    if failures:
        print('If only LANGUAGE=de fails: does the program bind its text domain to '
              '$MAGIC_HOUR_STUDIO_LOCALEDIR when it is set (src/app/main.c, src/cli/mh-cli.c)?')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
