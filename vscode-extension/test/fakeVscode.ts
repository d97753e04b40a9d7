// A stand-in for the `vscode` module, just wide enough for src/vscodeapi.ts. Tests set `state`.
import Module = require('node:module');

export const state: {
    config: Record<string, Record<string, unknown>>; // scope fsPath ('' = no scope) -> key -> value
    folders: { uri: FakeUri }[];
    extension?: { isActive: boolean; exports: unknown; activate(): Promise<unknown> };
} = { config: {}, folders: [] };

export class FakeUri {
    constructor(readonly fsPath: string) {}
    toString(): string {
        return `file://${this.fsPath}`;
    }
    static parse(value: string): FakeUri {
        return new FakeUri(value.replace(/^file:\/\//, ''));
    }
}

const fake = {
    Uri: FakeUri,
    workspace: {
        getConfiguration: (section: string, scope?: FakeUri) => ({
            get: (key: string) => (section === 'tensorlint' ? state.config[scope?.fsPath ?? '']?.[key] : undefined),
        }),
        get workspaceFolders() {
            return state.folders.length > 0 ? state.folders : undefined;
        },
        getWorkspaceFolder: (uri: FakeUri) => state.folders.find((f) => uri.fsPath.startsWith(f.uri.fsPath)),
    },
    extensions: {
        getExtension: (id: string) => (id === 'ms-python.python' ? state.extension : undefined),
    },
};

/** Makes `require('vscode')` return the fake; call before loading modules that import it. */
export function installFakeVscode(): void {
    const mod = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
    const load = mod._load;
    mod._load = function (request: string, ...rest: unknown[]) {
        return request === 'vscode' ? fake : load.call(this, request, ...rest);
    };
}
