// The "Run Shape Check on This File" command: what it sends, when it refuses, and the page that
// shows its report. No `vscode` import here, so these rules are unit-tested under plain node.
import type { Device } from './settings';

/** The server's command, also the VS Code command (the language client registers it). */
export const SHAPE_CHECK_COMMAND = 'tensorlint.shapeCheck';
/** The server's command that stops waiting for a running check of a document. */
export const CANCEL_SHAPE_CHECK_COMMAND = 'tensorlint.cancelShapeCheck';

export const UNTRUSTED_MESSAGE =
    'tensorlint: the shape check is disabled in untrusted workspaces, because it runs code from this file ' +
    '(its imports, model definitions and one forward and backward pass). Trust the workspace to use it.';

/** What the check needs to know about the document it runs on. */
export interface CheckedDocument {
    uri: string;
    scheme: string;
    languageId: string;
}

/** Why the check cannot run on `doc` (undefined: it can). */
export function refusal(trusted: boolean, doc: CheckedDocument | undefined): string | undefined {
    if (!trusted) {
        return UNTRUSTED_MESSAGE;
    }
    if (!doc || doc.languageId !== 'python') {
        return 'tensorlint: open a Python file to run the shape check on it.';
    }
    if (doc.scheme !== 'file' && doc.scheme !== 'untitled') {
        return `tensorlint: the shape check runs files on disk, not ${doc.scheme}: documents.`;
    }
    return undefined;
}

/** The workspace/executeCommand parameters: the document and the device setting. */
export function shapeCheckParams(uri: string, device: Device): { command: string; arguments: [string, Device] } {
    return { command: SHAPE_CHECK_COMMAND, arguments: [uri, device] };
}

/** The workspace/executeCommand parameters that cancel the running check of `uri`. */
export function cancelShapeCheckParams(uri: string): { command: string; arguments: [string] } {
    return { command: CANCEL_SHAPE_CHECK_COMMAND, arguments: [uri] };
}

/** The progress notification's title. */
export function progressTitle(fileName: string, device: Device): string {
    const where = device === 'auto' ? '' : ` on ${device}`;
    return `tensorlint: shape check of ${fileName}${where}…`;
}

/** The document a command invocation names: its first argument when that is a URI (a string,
 * a `vscode.Uri` as editor menus pass, or `{ uri }`), else undefined (use the active editor). */
export function uriArgument(args: unknown[]): string | undefined {
    const first = args[0];
    if (typeof first === 'string') {
        return first.length > 0 ? first : undefined;
    }
    if (first === null || typeof first !== 'object') {
        return undefined;
    }
    if (typeof (first as { scheme?: unknown }).scheme === 'string') {
        return String(first);
    }
    const uri = (first as { uri?: unknown }).uri;
    return typeof uri === 'string' && uri.length > 0 ? uri : undefined;
}

/** A failed request as one line for the user; undefined when the user cancelled it. */
export function failureMessage(err: unknown, cancelled: boolean): string | undefined {
    if (cancelled) {
        return undefined;
    }
    const text = err instanceof Error ? err.message : typeof err === 'string' ? err : JSON.stringify(err);
    return text.startsWith('tensorlint') ? text : `tensorlint: the shape check failed: ${text}`;
}

export function escapeHtml(text: string): string {
    return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/**
 * The webview page for a report: `html` is the Markdown rendered by VS Code's own renderer, or
 * undefined when that is unavailable (then the Markdown is shown as preformatted text). Scripts
 * are not allowed; styles come from the theme's variables.
 */
export function reportPage(markdown: string, html: string | undefined, cspSource: string): string {
    const body = html ?? `<pre>${escapeHtml(markdown)}</pre>`;
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${cspSource} https: data:; style-src ${cspSource} 'unsafe-inline';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Shape check</title>
<style>
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1em; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid var(--vscode-panel-border, #8884); padding: 2px 8px; text-align: left; }
code, pre { font-family: var(--vscode-editor-font-family); }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}
