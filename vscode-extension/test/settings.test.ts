import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandVariables, needsRestart, resolveSettings, serverSection } from '../src/settings';
import { FOLDER, HOME, reader } from './helpers';

const ctx = { workspaceFolder: FOLDER, userHome: HOME };

test('nothing configured gives the documented defaults', () => {
    const { settings, problems } = resolveSettings(reader({}), ctx);
    assert.deepEqual(problems, []);
    assert.deepEqual(settings, {
        interpreter: [],
        trace: 'off',
        server: {
            select: [],
            ignore: [],
            severity: {},
            lintOnChange: true,
            inlayHints: { enabled: true },
            shapeCheck: { device: 'auto' },
        },
    });
});

test('defaults declared in package.json match the defaults the code falls back to', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
        contributes: { configuration: { properties: Record<string, { default: unknown }> } };
    };
    const declared = Object.fromEntries(
        Object.entries(manifest.contributes.configuration.properties).map(([k, v]) => [k.replace(/^tensorlint\./, ''), v.default]),
    );
    const fromDeclared = resolveSettings(reader(declared), ctx);
    assert.deepEqual(fromDeclared.problems, []);
    assert.deepEqual(fromDeclared.settings, resolveSettings(reader({}), ctx).settings);
    assert.deepEqual(Object.keys(declared).sort(), [
        'ignore',
        'inlayHints.enabled',
        'interpreter',
        'lintOnChange',
        'select',
        'severity',
        'shapeCheck.device',
        'trace.server',
    ]);
});

test('interpreter paths expand ${workspaceFolder}, ${userHome} and ~', () => {
    const { settings } = resolveSettings(reader({ interpreter: ['${workspaceFolder}/.venv/bin/python', '-X', 'utf8'] }), ctx);
    assert.deepEqual(settings.interpreter, [`${FOLDER}/.venv/bin/python`, '-X', 'utf8']);
    assert.deepEqual(resolveSettings(reader({ interpreter: ['~/envs/dl/bin/python'] }), ctx).settings.interpreter, [
        `${HOME}/envs/dl/bin/python`,
    ]);
    assert.equal(expandVariables('${userHome}/x', ctx), `${HOME}/x`);
    assert.equal(expandVariables('${env:TL_TEST_VAR}/py', ctx, { TL_TEST_VAR: '/opt' }), '/opt/py');
});

test('a plain string interpreter is accepted as the executable alone', () => {
    const { settings, problems } = resolveSettings(reader({ interpreter: '/usr/bin/python3.11' }), ctx);
    assert.deepEqual(settings.interpreter, ['/usr/bin/python3.11']);
    assert.deepEqual(problems, []);
});

test('${workspaceFolder} with no folder open is reported and the setting ignored', () => {
    const { settings, problems } = resolveSettings(reader({ interpreter: ['${workspaceFolder}/.venv/bin/python'] }), {
        userHome: HOME,
    });
    assert.deepEqual(settings.interpreter, []);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /tensorlint\.interpreter/);
});

test('a malformed interpreter value is reported and ignored', () => {
    const { settings, problems } = resolveSettings(reader({ interpreter: [42] }), ctx);
    assert.deepEqual(settings.interpreter, []);
    assert.match(problems[0], /tensorlint\.interpreter/);
});

test('rule codes are upper-cased, de-duplicated, and bad entries reported by setting name', () => {
    const { settings, problems } = resolveSettings(
        reader({ select: ['tl1', 'TL203', ' TL1 ', 'ALL'], ignore: ['TL101', 'not a code', 7] }),
        ctx,
    );
    assert.deepEqual(settings.server.select, ['TL1', 'TL203', 'ALL']);
    assert.deepEqual(settings.server.ignore, ['TL101']);
    assert.equal(problems.length, 2);
    assert.ok(problems.every((p) => p.startsWith('tensorlint.ignore')));
});

test('select given as a string rather than a list is reported', () => {
    const { settings, problems } = resolveSettings(reader({ select: 'TL1' }), ctx);
    assert.deepEqual(settings.server.select, []);
    assert.match(problems[0], /^tensorlint\.select/);
});

test('severity overrides keep valid levels and drop the rest with a message', () => {
    const { settings, problems } = resolveSettings(
        reader({ severity: { tl101: 'Warning', TL2: 'hint', TL300: 'fatal', 'bad key': 'error' } }),
        ctx,
    );
    assert.deepEqual(settings.server.severity, { TL101: 'warning', TL2: 'hint' });
    assert.equal(problems.length, 2);
    assert.ok(problems.some((p) => p.includes('TL300') && p.includes('fatal')));
    assert.ok(problems.some((p) => p.includes('bad key')));
});

test('severity given as a list is reported and ignored', () => {
    const { settings, problems } = resolveSettings(reader({ severity: ['TL101'] }), ctx);
    assert.deepEqual(settings.server.severity, {});
    assert.match(problems[0], /^tensorlint\.severity/);
});

test('booleans and the trace level fall back to defaults on wrong types', () => {
    const { settings, problems } = resolveSettings(
        reader({ lintOnChange: 'no', 'inlayHints.enabled': false, 'trace.server': 'loud' }),
        ctx,
    );
    assert.equal(settings.server.lintOnChange, true);
    assert.equal(settings.server.inlayHints.enabled, false);
    assert.equal(settings.trace, 'off');
    assert.equal(problems.length, 2);
});

test('the server section carries exactly the server settings, as copies', () => {
    const { settings } = resolveSettings(
        reader({
            interpreter: ['/py'],
            select: ['TL1'],
            ignore: ['TL102'],
            severity: { TL101: 'error' },
            lintOnChange: false,
            'inlayHints.enabled': false,
            'shapeCheck.device': 'meta',
            'trace.server': 'verbose',
        }),
        ctx,
    );
    const section = serverSection(settings);
    assert.deepEqual(section, {
        tensorlint: {
            select: ['TL1'],
            ignore: ['TL102'],
            severity: { TL101: 'error' },
            lintOnChange: false,
            inlayHints: { enabled: false },
            shapeCheck: { device: 'meta' },
        },
    });
    section.tensorlint.select?.push('TL9');
    section.tensorlint.severity.TL9 = 'hint';
    assert.deepEqual(settings.server.select, ['TL1']);
    assert.deepEqual(settings.server.severity, { TL101: 'error' });
});

test('the shape check device accepts the four devices and falls back to auto otherwise', () => {
    for (const device of ['auto', 'cuda', 'cpu', 'meta']) {
        const { settings, problems } = resolveSettings(reader({ 'shapeCheck.device': device }), ctx);
        assert.equal(settings.server.shapeCheck.device, device);
        assert.deepEqual(problems, []);
    }
    const { settings, problems } = resolveSettings(reader({ 'shapeCheck.device': 'tpu' }), ctx);
    assert.equal(settings.server.shapeCheck.device, 'auto');
    assert.match(problems[0], /^tensorlint\.shapeCheck\.device: "tpu" is not one of auto, cuda, cpu, meta/);
});

test('an unset selection is left out of the server section rather than sent empty', () => {
    const { settings } = resolveSettings(reader({ select: [] }), ctx);
    assert.equal('select' in serverSection(settings).tensorlint, false);
    assert.deepEqual(serverSection(settings).tensorlint.ignore, []);
});

test('only an interpreter change needs a new server process', () => {
    const base = resolveSettings(reader({ interpreter: ['/a/python'] }), ctx).settings;
    const otherRules = resolveSettings(reader({ interpreter: ['/a/python'], select: ['TL2'], lintOnChange: false }), ctx).settings;
    const otherPython = resolveSettings(reader({ interpreter: ['/b/python'] }), ctx).settings;
    const extraArg = resolveSettings(reader({ interpreter: ['/a/python', '-X', 'dev'] }), ctx).settings;
    assert.equal(needsRestart(base, otherRules), false);
    assert.equal(needsRestart(base, otherPython), true);
    assert.equal(needsRestart(base, extraArg), true);
});
