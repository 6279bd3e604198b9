#!/usr/bin/env python3
"""Static checks of the Flatpak manifest; no runtime is needed.

- It is JSON, for this app id, on the GNOME runtime and SDK, and runs the app.
- finish-args are exactly what the app needs: network (the API), ipc, wayland,
  fallback-x11, dri, and pulseaudio (previews). Nothing else: no --filesystem
  (files come through the portals), no keyring D-Bus name (libsecret uses the
  Secret portal inside the sandbox), no session or system bus.
- The project itself is built with meson from the source tree.
- With --flatpak-builder: `flatpak-builder --show-manifest` parses it with
  G_DEBUG=fatal-warnings, so a misspelt key fails.

Usage: check-flatpak-manifest.py MANIFEST [--flatpak-builder PATH]
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile

APP_ID = 'io.github.mhstudio.MagicHourStudio'
ALLOWED_FINISH_ARGS = {
    '--share=network',
    '--share=ipc',
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',
    '--socket=pulseaudio',
}


def check(manifest_path):
    problems = []
    try:
        manifest = json.loads(manifest_path.read_text(encoding='utf-8'))
    except (OSError, ValueError) as error:
        return [f'cannot read the manifest as JSON: {error}']

    app_id = manifest.get('id', manifest.get('app-id'))
    if app_id != APP_ID:
        problems.append(f'id is {app_id!r}, not {APP_ID!r}')
    if manifest_path.name != f'{APP_ID}.json':
        problems.append(f'the file is named {manifest_path.name}, not {APP_ID}.json')
    if manifest.get('runtime') != 'org.gnome.Platform':
        problems.append(f'runtime is {manifest.get("runtime")!r}, not org.gnome.Platform')
    if manifest.get('sdk') != 'org.gnome.Sdk':
        problems.append(f'sdk is {manifest.get("sdk")!r}, not org.gnome.Sdk')
    version = str(manifest.get('runtime-version', ''))
    if not version.isdigit():
        problems.append(f'runtime-version {version!r} is not a GNOME release such as "51"')
    if manifest.get('command') != 'magic-hour-studio':
        problems.append(f'command is {manifest.get("command")!r}, not magic-hour-studio')

    finish_args = manifest.get('finish-args', [])
    for arg in finish_args:
        if arg.startswith('--filesystem') or arg.startswith('--persist'):
            problems.append(f'finish-args asks for file system access: {arg} '
                            '(files come through the portals)')
        elif arg not in ALLOWED_FINISH_ARGS:
            problems.append(f'finish-args has {arg}, which the app does not need')
    for arg in sorted(ALLOWED_FINISH_ARGS - set(finish_args)):
        problems.append(f'finish-args lacks {arg}')
    if len(finish_args) != len(set(finish_args)):
        problems.append('finish-args lists an argument twice')

    modules = manifest.get('modules', [])
    project = modules[-1] if modules and isinstance(modules[-1], dict) else {}
    if project.get('name') != 'magic-hour-studio':
        problems.append('the last module is not magic-hour-studio')
    if project.get('buildsystem') != 'meson':
        problems.append('magic-hour-studio is not built with meson')
    sources = project.get('sources', [])
    dirs = [s for s in sources if isinstance(s, dict) and s.get('type') == 'dir']
    if not dirs:
        problems.append('magic-hour-studio has no "dir" source (the source tree)')
    for source in dirs:
        tree = (manifest_path.parent / source.get('path', '')).resolve()
        if not (tree / 'meson.build').is_file():
            problems.append(f'the dir source {source.get("path")!r} is not the source tree')
    return problems


def show_manifest(flatpak_builder, manifest_path):
    """flatpak-builder's own parse; it writes a state dir, so in a temp dir."""
    env = dict(os.environ, G_DEBUG='fatal-warnings')
    with tempfile.TemporaryDirectory(prefix='mhs-flatpak-') as tmp:
        result = subprocess.run([flatpak_builder, '--show-manifest', str(manifest_path)],
                                cwd=tmp, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        return [f'flatpak-builder --show-manifest failed ({result.returncode}): '
                f'{result.stderr.strip()}']
    try:
        json.loads(result.stdout)
    except ValueError as error:
        return [f'flatpak-builder --show-manifest printed no JSON: {error}']
    return []


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('manifest', type=pathlib.Path)
    parser.add_argument('--flatpak-builder')
    options = parser.parse_args()
    manifest_path = options.manifest.resolve()

    problems = check(manifest_path)
    if options.flatpak_builder:
        problems += show_manifest(options.flatpak_builder, manifest_path)
    else:
        print('flatpak-builder is not installed: its parse of the manifest is skipped')

    for problem in problems:
        print(f'{manifest_path.name}: {problem}')
    if problems:
        return 1
    print(f'{manifest_path.name}: ok (finish-args: {", ".join(sorted(ALLOWED_FINISH_ARGS))})')
    return 0


if __name__ == '__main__':
    sys.exit(main())
