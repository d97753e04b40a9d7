// How the server process is started and what the client tells it. Types only from
// vscode-languageclient, so this module loads under plain node for the unit tests.
import type { Executable } from 'vscode-languageclient/node';
import type { InterpreterChoice } from './interpreter';
import { serverSection, type ExtensionSettings } from './settings';

export const SERVER_MODULE = 'tensorlint.server';

/** `<python> [interpreter args] -m tensorlint.server`, over stdio. */
export function serverExecutable(choice: InterpreterChoice, cwd: string | undefined, baseEnv: NodeJS.ProcessEnv): Executable {
    const env: NodeJS.ProcessEnv = {
        ...baseEnv,
        // Logs from the server reach the output channel as they happen.
        PYTHONUNBUFFERED: '1',
        // Our stdio carries LSP frames; never let Python guess a locale encoding.
        PYTHONIOENCODING: 'utf-8',
    };
    return {
        command: choice.command[0],
        args: [...choice.command.slice(1), '-m', SERVER_MODULE],
        options: cwd ? { cwd, env } : { env },
    };
}

/** Python documents on disk and unsaved ones. */
export const DOCUMENT_SELECTOR = [
    { scheme: 'file', language: 'python' },
    { scheme: 'untitled', language: 'python' },
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
