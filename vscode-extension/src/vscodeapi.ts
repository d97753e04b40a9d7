// The thin layer over the `vscode` module that the rest of the extension goes through.
import * as vscode from 'vscode';
import type { ConfigReader, ScopeContext } from './settings';
import * as os from 'node:os';

export function configReader(scope: vscode.Uri | undefined): ConfigReader {
    const config = vscode.workspace.getConfiguration('tensorlint', scope);
    return { get: (key: string) => config.get<unknown>(key) };
}

export function scopeContext(scope: vscode.Uri | undefined): ScopeContext {
    const folder = scope ? vscode.workspace.getWorkspaceFolder(scope) : vscode.workspace.workspaceFolders?.[0];
    return { workspaceFolder: folder?.uri.fsPath, userHome: os.homedir() };
}

/** The scope the server process is started for: the first workspace folder, if any. */
export function primaryScope(): vscode.Uri | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri;
}

export function scopeFromUri(uri: string | undefined): vscode.Uri | undefined {
    if (!uri) {
        return primaryScope();
    }
    try {
        return vscode.Uri.parse(uri, true);
    } catch {
        return primaryScope();
    }
}

// ---- The Python extension, without depending on it ----

const PYTHON_EXTENSION_ID = 'ms-python.python';

interface PythonExtensionApi {
    environments?: {
        getActiveEnvironmentPath(resource?: vscode.Uri): { id: string; path: string };
        resolveEnvironment(env: { id: string; path: string } | string): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
        onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
    };
    settings?: {
        getExecutionDetails(resource?: vscode.Uri): { execCommand: string[] | undefined };
    };
}

async function pythonApi(): Promise<PythonExtensionApi | undefined> {
    const ext = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION_ID);
    if (!ext) {
        return undefined;
    }
    return ext.isActive ? ext.exports : await ext.activate();
}

export async function pythonExtensionInterpreter(resource: vscode.Uri | undefined): Promise<string[] | undefined> {
    const api = await pythonApi();
    if (!api) {
        return undefined;
    }
    if (api.environments) {
        const active = api.environments.getActiveEnvironmentPath(resource);
        const resolved = await api.environments.resolveEnvironment(active);
        const exe = resolved?.executable.uri?.fsPath;
        return exe ? [exe] : undefined;
    }
    const details = api.settings?.getExecutionDetails(resource);
    return details?.execCommand && details.execCommand.length > 0 ? details.execCommand : undefined;
}

/** Subscribes to interpreter changes in the Python extension, when it is installed. */
export async function onPythonInterpreterChanged(listener: () => void): Promise<vscode.Disposable | undefined> {
    try {
        const api = await pythonApi();
        return api?.environments?.onDidChangeActiveEnvironmentPath?.(() => listener());
    } catch {
        return undefined;
    }
}
