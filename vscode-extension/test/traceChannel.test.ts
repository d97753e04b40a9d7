import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { INFO_LEVEL, TRACE_LEVEL, TraceChannel } from '../src/traceChannel';

function plainChannel() {
    const lines: string[] = [];
    const out = {
        name: 'tensorlint Trace',
        appendLine: (v: string) => void lines.push(v),
        append: (v: string) => void lines.push(v),
        replace: () => undefined,
        clear: () => void lines.splice(0),
        show: () => undefined,
        hide: () => undefined,
        dispose: () => undefined,
    };
    return { out, lines };
}

test('the trace setting alone turns the trace on and off, and the client hears of each change', () => {
    const { out } = plainChannel();
    const trace = new TraceChannel(out);
    const channel = trace.channel();
    const heard: number[] = [];
    channel.onDidChangeLogLevel((level) => heard.push(level));
    assert.equal(channel.logLevel, INFO_LEVEL, 'off by default: the client sends no trace');
    trace.setTrace('verbose');
    assert.equal(channel.logLevel, TRACE_LEVEL);
    trace.setTrace('messages'); // still tracing: no change to announce
    trace.setTrace('off');
    assert.equal(channel.logLevel, INFO_LEVEL);
    assert.deepEqual(heard, [TRACE_LEVEL, INFO_LEVEL]);
});

test('trace lines reach the output channel whatever its own log level', () => {
    const { out, lines } = plainChannel();
    const trace = new TraceChannel(out);
    trace.setTrace('messages');
    trace.channel().trace("[Trace - 1:00:00] Received notification '$/logTrace'.");
    assert.deepEqual(lines, ["[Trace - 1:00:00] Received notification '$/logTrace'."]);
});
