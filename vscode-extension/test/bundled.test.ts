// The libraries bundled in the .vsix (scripts/bundle_libs.py fills bundled/libs): the probe and
// the server run from them with a Python that has nothing installed.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { probeArgs, probeTensorlint } from '../src/interpreter';
import { runProcess } from '../src/processes';
import { serverExecutable } from '../src/serverOptions';

const EXTENSION = path.resolve(__dirname, '..', '..');
const LAUNCHER = path.join(EXTENSION, 'bundled', 'tool', 'launch.py');
const LIBS = path.join(EXTENSION, 'bundled', 'libs');
// a Python without tensorlint: $TENSORLINT_BARE_PYTHON, else the system's python3
const BARE = process.env.TENSORLINT_BARE_PYTHON ?? '/usr/bin/python3';

test('with the bundled libraries the probe and the server go through the launcher, still isolated', () => {
    const choice = { command: ['/usr/bin/python3'], source: 'path' as const };
    assert.deepEqual(probeArgs(choice, LAUNCHER).args.slice(0, 3), ['-I', LAUNCHER, '-c']);
    assert.deepEqual(serverExecutable(choice, EXTENSION, {}, LAUNCHER).args, ['-I', LAUNCHER, '-m', 'tensorlint.server']);
});

test('a Python with nothing installed imports tensorlint and its server from bundled/libs', { skip: !fs.existsSync(LIBS) && 'bundled/libs not built (npm run bundle:libs)' }, async () => {
    const choice = { command: [BARE], source: 'path' as const };
    const runner = (cmd: string, args: string[]) => runProcess(cmd, args, { cwd: EXTENSION, timeoutMs: 60000 });
    const own = await probeTensorlint(choice, runner);
    if (own.kind === 'ok') {
        return; // this Python has tensorlint installed: nothing to show here
    }
    assert.equal(own.kind, 'not-installed');
    const bundled = await probeTensorlint(choice, runner, LAUNCHER);
    assert.equal(bundled.kind, 'ok', JSON.stringify(bundled));
});
