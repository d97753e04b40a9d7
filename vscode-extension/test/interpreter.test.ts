import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import {
    chooseInterpreter,
    classifyProbe,
    installCommand,
    probeTensorlint,
    type InterpreterEnvironment,
} from '../src/interpreter';
import { findOnPath, runProcess } from '../src/processes';

function environment(opts: { extension?: string[] | Error; onPath?: Record<string, string> }) {
    const calls: string[] = [];
    const env: InterpreterEnvironment = {
        pythonExtensionInterpreter: async () => {
            calls.push('python-extension');
            if (opts.extension instanceof Error) {
                throw opts.extension;
            }
            return opts.extension;
        },
        findOnPath: async (name) => {
            calls.push(`path:${name}`);
            return opts.onPath?.[name];
        },
    };
    return { env, calls };
}

test('the tensorlint.interpreter setting wins and nothing else is consulted', async () => {
    const { env, calls } = environment({ extension: ['/ext/python'], onPath: { python3: '/usr/bin/python3' } });
    const { choice, tried } = await chooseInterpreter(['/venv/bin/python', '-X', 'utf8'], env);
    assert.deepEqual(choice, { command: ['/venv/bin/python', '-X', 'utf8'], source: 'setting' });
    assert.deepEqual(calls, []);
    assert.equal(tried.length, 1);
});

test("without a setting, the Python extension's active environment is used", async () => {
    const { env, calls } = environment({ extension: ['/home/u/.venv/bin/python'], onPath: { python3: '/usr/bin/python3' } });
    const { choice } = await chooseInterpreter([], env);
    assert.deepEqual(choice, { command: ['/home/u/.venv/bin/python'], source: 'python-extension' });
    assert.deepEqual(calls, ['python-extension']);
});

test('without the Python extension, python3 on PATH is used, and the log says why', async () => {
    const { env } = environment({ onPath: { python3: '/usr/bin/python3', python: '/usr/bin/python' } });
    const { choice, tried } = await chooseInterpreter([], env);
    assert.deepEqual(choice, { command: ['/usr/bin/python3'], source: 'path' });
    assert.equal(tried.length, 3);
    assert.match(tried[0], /setting: not set/);
    assert.match(tried[1], /Python extension.*none/);
    assert.match(tried[2], /python3 on PATH: \/usr\/bin\/python3/);
});

test('a failing Python extension is logged and the PATH fallback still applies', async () => {
    const { env } = environment({ extension: new Error('API not ready'), onPath: { python: '/opt/bin/python' } });
    const { choice, tried } = await chooseInterpreter([], env);
    assert.deepEqual(choice, { command: ['/opt/bin/python'], source: 'path' });
    assert.ok(tried.some((t) => t.includes('API not ready')));
    assert.ok(tried.some((t) => t === 'python3 on PATH: not found'));
});

test('no interpreter anywhere gives no choice and a full account of what was tried', async () => {
    const { env, calls } = environment({});
    const { choice, tried } = await chooseInterpreter([], env);
    assert.equal(choice, undefined);
    assert.deepEqual(calls, ['python-extension', 'path:python3', 'path:python']);
    assert.equal(tried.length, 4);
});

test('probe output is classified: ok, missing interpreter, missing package, missing server dependency', () => {
    assert.deepEqual(classifyProbe({ code: 0, stdout: '{"version": "0.1.0", "python": "3.11.2"}\n', stderr: '' }), {
        kind: 'ok',
        version: '0.1.0',
        python: '3.11.2',
    });
    assert.equal(classifyProbe({ code: null, stdout: '', stderr: '', spawnError: 'ENOENT: /nope' }).kind, 'interpreter-missing');
    const notInstalled = classifyProbe({
        code: 1,
        stdout: '',
        stderr: 'Traceback (most recent call last):\n  File "<string>", line 1\nModuleNotFoundError: No module named \'tensorlint\'\n',
    });
    assert.deepEqual(notInstalled, { kind: 'not-installed', detail: "ModuleNotFoundError: No module named 'tensorlint'" });
    const noPygls = classifyProbe({ code: 1, stdout: '', stderr: "ModuleNotFoundError: No module named 'pygls'" });
    assert.equal(noPygls.kind, 'server-extra-missing');
    assert.equal(noPygls.kind === 'server-extra-missing' && noPygls.module, 'pygls');
    assert.equal(classifyProbe({ code: 1, stdout: '', stderr: 'SyntaxError: bad' }).kind, 'failed');
    assert.equal(classifyProbe({ code: 0, stdout: 'garbage', stderr: '' }).kind, 'failed');
});

function fakePython(dir: string, name: string, body: string): string {
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
    return file;
}

test('the probe runs the interpreter with its own arguments, then -I -c', { skip: process.platform === 'win32' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-probe-'));
    const argsFile = join(dir, 'args');
    const ok = fakePython(
        dir,
        'python-ok',
        `printf '%s\\n' "$@" > ${argsFile}; echo '{"version": "9.9.9", "python": "3.12.0"}'`,
    );
    const result = await probeTensorlint({ command: [ok, '-X', 'utf8'], source: 'setting' }, runProcess);
    assert.deepEqual(result, { kind: 'ok', version: '9.9.9', python: '3.12.0' });
    const args = readFileSync(argsFile, 'utf8').split('\n');
    assert.deepEqual(args.slice(0, 4), ['-X', 'utf8', '-I', '-c']);
    assert.match(args[4], /import tensorlint, tensorlint\.server/);

    const missing = fakePython(dir, 'python-bare', `echo "ModuleNotFoundError: No module named 'tensorlint'" >&2; exit 1`);
    assert.equal((await probeTensorlint({ command: [missing], source: 'path' }, runProcess)).kind, 'not-installed');
    const absent = await probeTensorlint({ command: [join(dir, 'does-not-exist')], source: 'setting' }, runProcess);
    assert.equal(absent.kind, 'interpreter-missing');
});

test('install commands target the chosen interpreter, isolated, from a checkout only', () => {
    const choice = { command: ['/venv/bin/python', '-X', 'utf8'], source: 'setting' as const };
    const { command, args } = installCommand(choice, { kind: 'folder', path: '/src/tensorlint' });
    assert.equal(command, '/venv/bin/python');
    assert.deepEqual(args, ['-X', 'utf8', '-I', '-m', 'pip', 'install', '--editable', '/src/tensorlint']);
    // nothing is installed by name from a package index
    assert.ok(!args.some((a) => a.startsWith('tensorlint')));
});

test('findOnPath returns executables only, in PATH order', { skip: process.platform === 'win32' }, async () => {
    const first = mkdtempSync(join(tmpdir(), 'tl-path-a-'));
    const second = mkdtempSync(join(tmpdir(), 'tl-path-b-'));
    writeFileSync(join(first, 'python3'), 'not executable');
    const exe = fakePython(second, 'python3', 'exit 0');
    assert.equal(await findOnPath('python3', [first, second].join(delimiter)), exe);
    assert.equal(await findOnPath('python3', first), undefined);
    assert.equal(await findOnPath('python3', ''), undefined);
});

// A real Python, when one is at hand (TENSORLINT_TEST_PYTHON, else python3 on PATH).
async function realPython(): Promise<string | undefined> {
    return process.env.TENSORLINT_TEST_PYTHON || (await findOnPath('python3'));
}

/** A folder whose json.py, lsprotocol/ and tensorlint/ each write a marker file when imported. */
function hostileFolder(): { dir: string; markers: string } {
    const dir = mkdtempSync(join(tmpdir(), 'tl-hostile-'));
    const markers = mkdtempSync(join(tmpdir(), 'tl-markers-'));
    const plant = (file: string, name: string) =>
        writeFileSync(file, `open(${JSON.stringify(join(markers, name))}, "w").write("imported")\n`);
    plant(join(dir, 'json.py'), 'json');
    for (const pkg of ['lsprotocol', 'tensorlint']) {
        mkdirSync(join(dir, pkg));
        plant(join(dir, pkg, '__init__.py'), pkg);
    }
    return { dir, markers };
}

test('the probe imports nothing from its working directory, even when that is a hostile folder', async (t) => {
    const python = await realPython();
    if (!python) {
        t.skip('no python3 on PATH');
        return;
    }
    const { dir, markers } = hostileFolder();
    const result = await probeTensorlint({ command: [python], source: 'path' }, (cmd, args) => runProcess(cmd, args, { cwd: dir }));
    assert.deepEqual(readdirSync(markers), [], `imported from the folder: ${readdirSync(markers).join(', ')}`);
    if (process.env.TENSORLINT_TEST_PYTHON) {
        // a Python with tensorlint: found in its environment, not in the folder
        assert.equal(result.kind, 'ok', JSON.stringify(result));
    } else {
        assert.ok(['ok', 'not-installed', 'server-extra-missing'].includes(result.kind), JSON.stringify(result));
    }

    // without -I, the same command in that folder does run its json.py: the check above can fail
    await runProcess(python, ['-c', 'import json'], { cwd: dir });
    assert.deepEqual(readdirSync(markers), ['json']);
});
