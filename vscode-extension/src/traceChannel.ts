// Where the language client writes the message trace that `tensorlint.trace.server` asks for.
import type * as vscode from 'vscode';

/** The numeric levels of `vscode.LogLevel` this module needs (the enum is runtime-only). */
export const TRACE_LEVEL = 1;
export const INFO_LEVEL = 3;

/** A log channel for the language client's message trace, on top of a plain output channel.
 *
 * vscode-languageclient traces only while its trace channel's log level is Trace, and writes
 * each line with `trace()`; on the extension's own log channel (level Info unless the user
 * changes it with *Developer: Set Log Level…*) the setting therefore showed nothing. This
 * channel reports the Trace level exactly while the setting asks for a trace, so that the
 * setting alone decides, and appends every line it is given to its output channel. */
export class TraceChannel {
    private level = INFO_LEVEL;
    private readonly listeners = new Set<(level: vscode.LogLevel) => void>();

    constructor(private readonly out: Pick<vscode.OutputChannel, 'name' | 'appendLine' | 'append' | 'replace' | 'clear' | 'show' | 'hide' | 'dispose'>) {}

    /** Follows the setting; the client hears of a change and sends `$/setTrace`. */
    setTrace(value: 'off' | 'messages' | 'verbose'): void {
        const level = value === 'off' ? INFO_LEVEL : TRACE_LEVEL;
        if (level !== this.level) {
            this.level = level;
            this.listeners.forEach((listener) => listener(level as vscode.LogLevel));
        }
    }

    /** What the client is given as `traceOutputChannel`. */
    channel(): vscode.LogOutputChannel {
        const out = this.out;
        const line = (message: string | Error) => out.appendLine(message instanceof Error ? message.stack ?? message.message : message);
        const self = this;
        return {
            name: out.name,
            get logLevel() {
                return self.level as vscode.LogLevel;
            },
            onDidChangeLogLevel: (listener: (level: vscode.LogLevel) => void) => {
                this.listeners.add(listener);
                return { dispose: () => this.listeners.delete(listener) };
            },
            trace: (message: string) => line(message),
            debug: (message: string) => line(message),
            info: (message: string) => line(message),
            warn: (message: string) => line(message),
            error: (message: string | Error) => line(message),
            append: (value: string) => out.append(value),
            appendLine: (value: string) => out.appendLine(value),
            replace: (value: string) => out.replace(value),
            clear: () => out.clear(),
            show: (...args: unknown[]) => (out.show as (...a: unknown[]) => void)(...args),
            hide: () => out.hide(),
            dispose: () => out.dispose(),
        } as vscode.LogOutputChannel;
    }
}
