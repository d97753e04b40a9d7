import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { statusPresentation, type ServerState } from '../src/status';

test('every state names itself and the interpreter in the tooltip', () => {
    const states: ServerState[] = ['starting', 'ready', 'stopped', 'error'];
    const texts = new Set<string>();
    for (const state of states) {
        const p = statusPresentation(state, '/venv/bin/python');
        assert.match(p.text, /tensorlint/);
        assert.match(p.tooltip, /Interpreter: \/venv\/bin\/python/);
        texts.add(p.text);
    }
    assert.equal(texts.size, states.length, 'each state looks different');
});

test('an error is highlighted and carries its reason; ready is not highlighted', () => {
    const error = statusPresentation('error', undefined, 'tensorlint is not installed');
    assert.equal(error.background, 'statusBarItem.errorBackground');
    assert.match(error.tooltip, /not installed/);
    assert.match(error.tooltip, /Interpreter: none found/);
    assert.equal(statusPresentation('ready', 'python3').background, undefined);
});
