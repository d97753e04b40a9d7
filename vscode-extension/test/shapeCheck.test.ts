import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
    cancelShapeCheckParams,
    escapeHtml,
    failureMessage,
    progressTitle,
    refusal,
    reportPage,
    SHAPE_CHECK_COMMAND,
    shapeCheckParams,
    UNTRUSTED_MESSAGE,
    uriArgument,
} from '../src/shapeCheck';

const PY = { uri: 'file:///work/project/model.py', scheme: 'file', languageId: 'python' };

interface Manifest {
    capabilities: { untrustedWorkspaces: { supported: string; description: string; restrictedConfigurations: string[] } };
    contributes: {
        commands: { command: string; title: string; category: string }[];
        configuration: { properties: Record<string, { enum?: string[]; default: unknown; markdownDescription?: string }> };
    };
}

function manifest(): Manifest {
    return JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as Manifest;
}

test('an untrusted workspace is refused with the reason, whatever the document', () => {
    assert.equal(refusal(false, PY), UNTRUSTED_MESSAGE);
    assert.equal(refusal(false, undefined), UNTRUSTED_MESSAGE);
    assert.match(UNTRUSTED_MESSAGE, /untrusted/);
    assert.match(UNTRUSTED_MESSAGE, /runs code from this file/);
});

test('a trusted workspace runs Python files on disk and unsaved ones, nothing else', () => {
    assert.equal(refusal(true, PY), undefined);
    assert.equal(refusal(true, { ...PY, scheme: 'untitled', uri: 'untitled:Untitled-1' }), undefined);
    assert.match(refusal(true, undefined) ?? '', /open a Python file/);
    assert.match(refusal(true, { ...PY, languageId: 'markdown' }) ?? '', /open a Python file/);
    assert.match(refusal(true, { ...PY, scheme: 'git' }) ?? '', /not git: documents/);
});

test('the request names the document and the device setting', () => {
    assert.deepEqual(shapeCheckParams(PY.uri, 'meta'), { command: 'tensorlint.shapeCheck', arguments: [PY.uri, 'meta'] });
    assert.equal(SHAPE_CHECK_COMMAND, 'tensorlint.shapeCheck');
    assert.deepEqual(cancelShapeCheckParams(PY.uri), { command: 'tensorlint.cancelShapeCheck', arguments: [PY.uri] });
});

test('the progress title names the file, and the device unless it is auto', () => {
    assert.equal(progressTitle('model.py', 'auto'), 'tensorlint: shape check of model.py…');
    assert.equal(progressTitle('model.py', 'cpu'), 'tensorlint: shape check of model.py on cpu…');
});

test('the document comes from a URI argument, a Uri object or { uri }, else from the editor', () => {
    const uriObject = { scheme: 'file', path: '/a.py', toString: () => 'file:///a.py' };
    assert.equal(uriArgument(['file:///a.py']), 'file:///a.py');
    assert.equal(uriArgument([uriObject]), 'file:///a.py');
    assert.equal(uriArgument([{ uri: 'file:///b.py' }]), 'file:///b.py');
    assert.equal(uriArgument([]), undefined);
    assert.equal(uriArgument(['']), undefined);
    assert.equal(uriArgument([42]), undefined);
    assert.equal(uriArgument([null]), undefined);
});

test('a cancelled check says nothing; a refusal from the server is shown as it is', () => {
    assert.equal(failureMessage(new Error('Request cancelled'), true), undefined);
    const refused = 'tensorlint: the shape check is disabled because this workspace is not trusted';
    assert.equal(failureMessage(new Error(refused), false), refused);
    assert.equal(failureMessage(new Error('connection lost'), false), 'tensorlint: the shape check failed: connection lost');
});

test('the report page shows rendered Markdown, or the Markdown escaped when no renderer answered', () => {
    const markdown = '# Shape check\n\n| layer | type |\n|---|---|\n| fc <b> | Linear |\n';
    const rendered = reportPage(markdown, '<h1>Shape check</h1><table></table>', 'vscode-resource:');
    assert.match(rendered, /<h1>Shape check<\/h1><table><\/table>/);
    const plain = reportPage(markdown, undefined, 'vscode-resource:');
    assert.match(plain, /<pre># Shape check/);
    assert.match(plain, /fc &lt;b&gt;/);
    assert.doesNotMatch(plain, /fc <b>/);
    // no scripts: the policy allows none
    assert.match(plain, /default-src 'none'/);
    assert.doesNotMatch(plain, /script-src/);
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});

test('package.json declares the command, the device setting once, and why the check needs trust', () => {
    const m = manifest();
    const commands = m.contributes.commands.filter((c) => c.command === 'tensorlint.shapeCheck');
    assert.equal(commands.length, 1);
    assert.equal(`${commands[0].category}: ${commands[0].title}`, 'tensorlint: Run Shape Check on This File');
    const keys = Object.keys(m.contributes.configuration.properties).filter((k) => k.startsWith('tensorlint.shapeCheck'));
    assert.deepEqual(keys, ['tensorlint.shapeCheck.device']);
    const device = m.contributes.configuration.properties['tensorlint.shapeCheck.device'];
    assert.deepEqual(device.enum, ['auto', 'cuda', 'cpu', 'meta']);
    assert.equal(device.default, 'auto');
    assert.ok(device.markdownDescription && device.markdownDescription.length > 0);
    assert.equal(m.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.match(m.capabilities.untrustedWorkspaces.description, /shape check .* disabled/);
});
