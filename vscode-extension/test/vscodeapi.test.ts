import { beforeEach, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { FakeUri, installFakeVscode, state } from './fakeVscode';
import { resolveSettings } from '../src/settings';

installFakeVscode();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const api = require('../src/vscodeapi') as typeof import('../src/vscodeapi');

const folderA = new FakeUri('/ws/a');
const folderB = new FakeUri('/ws/b');

beforeEach(() => {
    state.config = {};
    state.folders = [{ uri: folderA }, { uri: folderB }];
    state.extension = undefined;
});

test('settings are read per workspace folder, with that folder expanded', () => {
    state.config['/ws/a'] = { interpreter: ['${workspaceFolder}/.venv/bin/python'], ignore: ['TL101'] };
    state.config['/ws/b'] = { select: ['TL2'] };
    const a = resolveSettings(api.configReader(folderA as never), api.scopeContext(new FakeUri('/ws/a/train.py') as never));
    const b = resolveSettings(api.configReader(folderB as never), api.scopeContext(folderB as never));
    assert.deepEqual(a.settings.interpreter, ['/ws/a/.venv/bin/python']);
    assert.deepEqual(a.settings.server.ignore, ['TL101']);
    assert.deepEqual(b.settings.server.select, ['TL2']);
    assert.deepEqual(b.settings.interpreter, []);
});

test('the server is started for the first workspace folder, or none', () => {
    assert.equal(api.primaryScope()?.fsPath, '/ws/a');
    state.folders = [];
    assert.equal(api.primaryScope(), undefined);
    assert.equal(api.scopeContext(undefined).workspaceFolder, undefined);
});

test('without the Python extension there is no interpreter from it', async () => {
    assert.equal(await api.pythonExtensionInterpreter(folderA as never), undefined);
    assert.equal(await api.onPythonInterpreterChanged(() => undefined), undefined);
});

test("the Python extension's environments API gives the active environment's executable", async () => {
    const asked: unknown[] = [];
    let activated = false;
    const exports = {
        environments: {
            getActiveEnvironmentPath: (resource: unknown) => {
                asked.push(resource);
                return { id: 'venv', path: '/ws/a/.venv' };
            },
            resolveEnvironment: async (env: { path: string }) => ({ executable: { uri: new FakeUri(`${env.path}/bin/python`) } }),
        },
    };
    state.extension = {
        isActive: false,
        exports: undefined,
        activate: async () => {
            activated = true;
            return exports;
        },
    };
    assert.deepEqual(await api.pythonExtensionInterpreter(folderA as never), ['/ws/a/.venv/bin/python']);
    assert.equal(activated, true, 'an inactive Python extension is activated first');
    assert.deepEqual(asked, [folderA]);
});

test('an environment without an executable gives nothing', async () => {
    state.extension = {
        isActive: true,
        exports: {
            environments: {
                getActiveEnvironmentPath: () => ({ id: 'x', path: '/nowhere' }),
                resolveEnvironment: async () => ({ executable: { uri: undefined } }),
            },
        },
        activate: async () => assert.fail('already active'),
    };
    assert.equal(await api.pythonExtensionInterpreter(folderA as never), undefined);
});

test("an older Python extension's execution details are used when there is no environments API", async () => {
    state.extension = {
        isActive: true,
        exports: { settings: { getExecutionDetails: () => ({ execCommand: ['/usr/bin/conda', 'run', 'python'] }) } },
        activate: async () => assert.fail('already active'),
    };
    assert.deepEqual(await api.pythonExtensionInterpreter(folderA as never), ['/usr/bin/conda', 'run', 'python']);
});

test('a scope URI from the server maps back to its folder; no URI means the first folder', () => {
    assert.equal(api.scopeFromUri('file:///ws/b')?.fsPath, '/ws/b');
    assert.equal(api.scopeFromUri(undefined)?.fsPath, '/ws/a');
});
