// How the server process is started and what the client tells it. Types only from
// vscode-languageclient, so this module loads under plain node for the unit tests.
import type { Executable } from 'vscode-languageclient/node';
import type { InterpreterChoice } from './interpreter';
import { serverSection, type ExtensionSettings } from './settings';

export const SERVER_MODULE = 'tensorlint.server';

/**
 * Python's isolated mode: neither the working directory nor a script's folder goes on sys.path,
 * PYTHON* variables (PYTHONPATH, PYTHONSTARTUP, ...) are ignored, and the user site-packages are
 * not added. A `json.py` or an `lsprotocol/` folder in the workspace is then never imported by
 * the probe, the server or pip; tensorlint must be installed in the interpreter's environment.
 */
export const ISOLATED = '-I';

/**
 * `<python> [interpreter args] -I -m tensorlint.server`, over stdio, started in `cwd`: a folder
 * outside the workspace (the extension's own), so that nothing there is found by accident.
 * PYTHONUNBUFFERED and PYTHONIOENCODING would be ignored under -I; pygls flushes each message
 * and reads and writes bytes, and stderr (the log) is line-buffered.
 */
export function serverExecutable(
    choice: InterpreterChoice,
    cwd: string,
    baseEnv: NodeJS.ProcessEnv,
    launcher?: string,
): Executable {
    // with `launcher`, the bundled libraries (see interpreter.probeArgs)
    return {
        command: choice.command[0],
        args: [...choice.command.slice(1), ISOLATED, ...(launcher ? [launcher] : []), '-m', SERVER_MODULE],
        options: { cwd, env: { ...baseEnv } },
    };
}

/** The notebook type of `.ipynb` files in VS Code's notebook editor. */
export const NOTEBOOK_TYPE = 'jupyter-notebook';

/**
 * Python documents on disk and unsaved ones, and the Python cells of Jupyter notebooks. The
 * cells' texts reach the server through LSP notebook synchronization (the server announces it);
 * this entry makes hovers and code actions apply inside the cells.
 */
export const DOCUMENT_SELECTOR = [
    { scheme: 'file', language: 'python' },
    { scheme: 'untitled', language: 'python' },
    { notebook: NOTEBOOK_TYPE, language: 'python' },
];

/**
 * The settings, and whether the workspace is trusted: the server refuses to run the file's code
 * (the shape check) when it is not. Trust granted later restarts the server.
 */
export function initializationOptions(
    settings: ExtensionSettings,
    trusted: boolean,
): { tensorlint: ExtensionSettings['server']; trusted: boolean } {
    return { ...serverSection(settings), trusted };
}

/**
 * Answer to a workspace/configuration request: one entry per item, the resolved `tensorlint`
 * section for the item's scope, `null` for sections that are not ours.
 */
export function configurationResponse(
    items: { section?: string; scopeUri?: string }[],
    settingsFor: (scopeUri: string | undefined) => ExtensionSettings,
): unknown[] {
    return items.map((item) => {
        const section = item.section ?? '';
        if (section === 'tensorlint') {
            return serverSection(settingsFor(item.scopeUri)).tensorlint;
        }
        if (section.startsWith('tensorlint.')) {
            let value: unknown = serverSection(settingsFor(item.scopeUri)).tensorlint;
            for (const key of section.slice('tensorlint.'.length).split('.')) {
                value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
            }
            return value ?? null;
        }
        return null;
    });
}
