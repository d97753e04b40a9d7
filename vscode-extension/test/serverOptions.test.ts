import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { configurationResponse, initializationOptions, serverExecutable } from '../src/serverOptions';
import { resolveSettings } from '../src/settings';
import { FOLDER, HOME, reader } from './helpers';

const EXTENSION_DIR = '/home/ada/.vscode/extensions/tensorlint.tensorlint-0.1.0';

test('the server is <interpreter> [its args] -I -m tensorlint.server, started outside the workspace', () => {
    const exe = serverExecutable({ command: ['/venv/bin/python', '-X', 'utf8'], source: 'setting' }, EXTENSION_DIR, {
        PATH: '/usr/bin',
        VIRTUAL_ENV: '/venv',
    });
    assert.equal(exe.command, '/venv/bin/python');
    assert.deepEqual(exe.args, ['-X', 'utf8', '-I', '-m', 'tensorlint.server']);
    assert.equal(exe.options?.cwd, EXTENSION_DIR);
    assert.notEqual(exe.options?.cwd, FOLDER);
    assert.equal(exe.options?.env?.PATH, '/usr/bin');
    assert.equal(exe.options?.env?.VIRTUAL_ENV, '/venv');
    assert.equal(exe.transport, undefined, 'stdio is the default transport');
});

test('a wrapper command (conda run, env) gets -I right before -m', () => {
    const exe = serverExecutable({ command: ['conda', 'run', '-n', 'ml', 'python'], source: 'python-extension' }, EXTENSION_DIR, {});
    assert.equal(exe.command, 'conda');
    assert.deepEqual(exe.args, ['run', '-n', 'ml', 'python', '-I', '-m', 'tensorlint.server']);
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
