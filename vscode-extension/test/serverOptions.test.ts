import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { configurationResponse, initializationOptions, serverExecutable } from '../src/serverOptions';
import { resolveSettings } from '../src/settings';
import { FOLDER, HOME, reader } from './helpers';

test('the server is <interpreter> [its args] -m tensorlint.server, in the workspace folder', () => {
    const exe = serverExecutable({ command: ['/venv/bin/python', '-X', 'utf8'], source: 'setting' }, FOLDER, {
        PATH: '/usr/bin',
        VIRTUAL_ENV: '/venv',
    });
    assert.equal(exe.command, '/venv/bin/python');
    assert.deepEqual(exe.args, ['-X', 'utf8', '-m', 'tensorlint.server']);
    assert.equal(exe.options?.cwd, FOLDER);
    assert.equal(exe.options?.env?.PATH, '/usr/bin');
    assert.equal(exe.options?.env?.VIRTUAL_ENV, '/venv');
    assert.equal(exe.options?.env?.PYTHONUNBUFFERED, '1');
    assert.equal(exe.transport, undefined, 'stdio is the default transport');
});

test('with no folder open the server runs without a cwd', () => {
    const exe = serverExecutable({ command: ['python3'], source: 'path' }, undefined, {});
    assert.deepEqual(exe.args, ['-m', 'tensorlint.server']);
    assert.equal(exe.options?.cwd, undefined);
});

test('initializationOptions carry the resolved settings under "tensorlint", and the workspace trust', () => {
    const { settings } = resolveSettings(reader({ select: ['tl1'], severity: { TL101: 'hint' }, interpreter: ['/py'] }), {
        workspaceFolder: FOLDER,
        userHome: HOME,
    });
    assert.deepEqual(initializationOptions(settings, true), {
        tensorlint: {
            select: ['TL1'],
            ignore: [],
            severity: { TL101: 'hint' },
            lintOnChange: true,
            inlayHints: { enabled: true },
            shapeCheck: { device: 'auto' },
        },
        trusted: true,
    });
    assert.equal(initializationOptions(settings, false).trusted, false);
});

test('workspace/configuration answers per scope, per dotted key, and null for other sections', () => {
    const perFolder: Record<string, Record<string, unknown>> = {
        'file:///a': { ignore: ['TL101'] },
        'file:///b': { 'inlayHints.enabled': false },
    };
    const asked: (string | undefined)[] = [];
    const answer = configurationResponse(
        [
            { section: 'tensorlint', scopeUri: 'file:///a' },
            { section: 'tensorlint.inlayHints.enabled', scopeUri: 'file:///b' },
            { section: 'tensorlint.nonexistent.key' },
            { section: 'python' },
            {},
        ],
        (uri) => {
            asked.push(uri);
            return resolveSettings(reader(perFolder[uri ?? ''] ?? {}), { userHome: HOME }).settings;
        },
    );
    assert.deepEqual(answer, [
        { ignore: ['TL101'], severity: {}, lintOnChange: true, inlayHints: { enabled: true }, shapeCheck: { device: 'auto' } },
        false,
        null,
        null,
        null,
    ]);
    assert.deepEqual(asked, ['file:///a', 'file:///b', undefined]);
});
