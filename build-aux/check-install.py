#!/usr/bin/env python3
"""Installs the build into a temporary DESTDIR and checks that every file lands
where the desktop looks for it: both programs, the desktop file, the metainfo,
the icons, the settings schema and a .mo for every language in po/LINGUAS.

Usage: check-install.py --meson MESON --build-root DIR --source-root DIR
           --prefix P --bindir B --datadir D --localedir L
           --app-id ID --gettext-package NAME
"""
import argparse
import os
import pathlib
import subprocess
import sys
import tempfile


def installed_path(destdir, prefix, subdir, *parts):
    """DESTDIR + the absolute install path (a relative SUBDIR is under PREFIX)."""
    base = pathlib.PurePosixPath(prefix) / subdir
    return pathlib.Path(destdir, *base.parts[1:], *parts)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in ('meson', 'build-root', 'source-root', 'prefix', 'bindir', 'datadir',
                 'localedir', 'app-id', 'gettext-package'):
        parser.add_argument('--' + name, required=True)
    options = parser.parse_args()

    linguas = pathlib.Path(options.source_root, 'po', 'LINGUAS').read_text().split()
    app_id = options.app_id

    with tempfile.TemporaryDirectory(prefix='mhs-install-') as destdir:
        env = dict(os.environ)
        env.pop('DESTDIR', None)
        result = subprocess.run([options.meson, 'install', '-C', options.build_root,
                                 '--destdir', destdir, '--no-rebuild', '--quiet'],
                                capture_output=True, text=True, env=env)
        if result.returncode != 0:
            print(f'meson install failed ({result.returncode}):\n{result.stdout}{result.stderr}')
            return 1

        def at(subdir, *parts):
            return installed_path(destdir, options.prefix, subdir, *parts)

        expected = {
            'the app': at(options.bindir, 'magic-hour-studio'),
            'the command-line tool': at(options.bindir, 'magic-hour-studio-cli'),
            'the desktop file': at(options.datadir, 'applications', f'{app_id}.desktop'),
            'the metainfo': at(options.datadir, 'metainfo', f'{app_id}.metainfo.xml'),
            'the app icon': at(options.datadir, 'icons', 'hicolor', 'scalable', 'apps',
                               f'{app_id}.svg'),
            'the symbolic icon': at(options.datadir, 'icons', 'hicolor', 'symbolic', 'apps',
                                    f'{app_id}-symbolic.svg'),
            'the settings schema': at(options.datadir, 'glib-2.0', 'schemas',
                                      f'{app_id}.gschema.xml'),
        }
        for lang in linguas:
            expected[f'the {lang} translation'] = at(options.localedir, lang, 'LC_MESSAGES',
                                                     f'{options.gettext_package}.mo')

        failures = 0
        for what, path in expected.items():
            shown = '/' + path.relative_to(destdir).as_posix()
            if not path.is_file() or path.stat().st_size == 0:
                print(f'missing: {what} at {shown}')
                failures += 1
                continue
            if what in ('the app', 'the command-line tool'):
                if not os.access(path, os.X_OK):
                    print(f'not executable: {what} at {shown}')
                    failures += 1
                    continue
            print(f'ok: {what} at {shown}')

        # The desktop file must name the installed program and icon.
        desktop = expected['the desktop file']
        if desktop.is_file():
            entries = dict(line.split('=', 1) for line in desktop.read_text().splitlines()
                           if '=' in line and not line.startswith('#'))
            if entries.get('Icon') != app_id:
                print(f'the desktop file names icon {entries.get("Icon")!r}, not {app_id!r}')
                failures += 1
            if entries.get('Exec', '').split()[0:1] != ['magic-hour-studio']:
                print(f'the desktop file runs {entries.get("Exec")!r}, not magic-hour-studio')
                failures += 1
            if not any(key.startswith('Name[de]') for key in entries) and 'de' in linguas:
                print('the desktop file has no German name (Name[de]): was po/ merged?')
                failures += 1

        # Caches belong to the system (gnome.post_install), never to a DESTDIR.
        for cache in (at(options.datadir, 'glib-2.0', 'schemas', 'gschemas.compiled'),
                      at(options.datadir, 'icons', 'hicolor', 'icon-theme.cache')):
            if cache.exists():
                print(f'a cache was written into DESTDIR: /{cache.relative_to(destdir).as_posix()}')
                failures += 1

    if failures:
        print(f'{failures} problem(s) with the installed files')
    else:
        print(f'all {len(expected)} installed files in place')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
