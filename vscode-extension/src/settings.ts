// Reading and checking the tensorlint.* settings. No `vscode` import here: the caller hands in a
// reader for one scope, so the rules below are unit-tested under plain node.

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type Trace = 'off' | 'messages' | 'verbose';
/** Where the shape check runs the model; `auto`: pyproject.toml's device, else cuda when available, else cpu. */
export type Device = 'auto' | 'cuda' | 'cpu' | 'meta';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'information', 'hint'];
const TRACES: readonly Trace[] = ['off', 'messages', 'verbose'];
export const DEVICES: readonly Device[] = ['auto', 'cuda', 'cpu', 'meta'];

/** What the language server receives, under the `tensorlint` section. */
export interface ServerSettings {
    /** Absent (not empty) when unset: the server then uses pyproject.toml's or the default selection. */
    select?: string[];
    ignore: string[];
    severity: Record<string, Severity>;
    lintOnChange: boolean;
    inlayHints: { enabled: boolean };
    shapeCheck: { device: Device };
}

/** Everything the extension reads for one scope (a workspace folder, or the window). */
export interface ExtensionSettings {
    /** Interpreter command as configured, variables expanded; empty means "choose one". */
    interpreter: string[];
    trace: Trace;
    server: ServerSettings;
}

/** Reads `tensorlint.<key>` for one scope; `undefined` when unset or unreadable. */
export interface ConfigReader {
    get(key: string): unknown;
}

export interface ScopeContext {
    /** File-system path of the workspace folder the scope belongs to, if any. */
    workspaceFolder?: string;
    userHome: string;
}

export interface Resolved {
    settings: ExtensionSettings;
    /** One line per value that was ignored, naming the setting, for the log. */
    problems: string[];
}

export const DEFAULT_SERVER_SETTINGS: ServerSettings = {
    select: [],
    ignore: [],
    severity: {},
    lintOnChange: true,
    inlayHints: { enabled: true },
    shapeCheck: { device: 'auto' },
};

// A rule code (`TL101`), a prefix (`TL1`, `TL`) or `ALL`.
const CODE = /^(ALL|[A-Z]{1,4}[0-9]{0,4})$/;

export function resolveSettings(read: ConfigReader, ctx: ScopeContext): Resolved {
    const problems: string[] = [];
    const settings: ExtensionSettings = {
        interpreter: readInterpreter(read.get('interpreter'), ctx, problems),
        trace: readEnum(read.get('trace.server'), TRACES, 'off', 'tensorlint.trace.server', problems),
        server: {
            select: readCodes(read.get('select'), 'tensorlint.select', problems),
            ignore: readCodes(read.get('ignore'), 'tensorlint.ignore', problems),
            severity: readSeverityMap(read.get('severity'), problems),
            lintOnChange: readBoolean(read.get('lintOnChange'), true, 'tensorlint.lintOnChange', problems),
            inlayHints: {
                enabled: readBoolean(read.get('inlayHints.enabled'), true, 'tensorlint.inlayHints.enabled', problems),
            },
            shapeCheck: {
                device: readEnum(read.get('shapeCheck.device'), DEVICES, 'auto', 'tensorlint.shapeCheck.device', problems),
            },
        },
    };
    return { settings, problems };
}

/**
 * The payload of initializationOptions and of workspace/didChangeConfiguration. An empty
 * `select` is left out: to the server an empty selection would mean "no rules at all".
 */
export function serverSection(settings: ExtensionSettings): { tensorlint: ServerSettings } {
    const s = settings.server;
    return {
        tensorlint: {
            ...(s.select && s.select.length > 0 ? { select: [...s.select] } : {}),
            ignore: [...s.ignore],
            severity: { ...s.severity },
            lintOnChange: s.lintOnChange,
            inlayHints: { enabled: s.inlayHints.enabled },
            shapeCheck: { device: s.shapeCheck.device },
        },
    };
}

/** True when going from `before` to `after` needs a new server process, not just new settings. */
export function needsRestart(before: ExtensionSettings, after: ExtensionSettings): boolean {
    return before.interpreter.join('\0') !== after.interpreter.join('\0');
}

/** Expands `${workspaceFolder}`, `${userHome}`, `${env:NAME}` and a leading `~`. */
export function expandVariables(value: string, ctx: ScopeContext, env: NodeJS.ProcessEnv = process.env): string {
    let out = value.replace(/\$\{(workspaceFolder|userHome|env:([A-Za-z_][A-Za-z0-9_]*))\}/g, (whole, name: string, envName?: string) => {
        if (name === 'userHome') {
            return ctx.userHome;
        }
        if (name === 'workspaceFolder') {
            return ctx.workspaceFolder ?? whole;
        }
        return env[envName ?? ''] ?? '';
    });
    if (out === '~' || out.startsWith('~/')) {
        out = ctx.userHome + out.slice(1);
    }
    return out;
}

function readInterpreter(value: unknown, ctx: ScopeContext, problems: string[]): string[] {
    if (value === undefined || value === null || value === '') {
        return [];
    }
    // A plain string is the common mistake; take it as the executable alone.
    const parts = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(parts) || !parts.every((p) => typeof p === 'string')) {
        problems.push('tensorlint.interpreter: expected a list of strings; ignored.');
        return [];
    }
    const expanded = parts.map((p) => expandVariables(p.trim(), ctx)).filter((p) => p.length > 0);
    if (expanded.some((p) => p.includes('${workspaceFolder}'))) {
        problems.push('tensorlint.interpreter: ${workspaceFolder} used outside a workspace folder; ignored.');
        return [];
    }
    return expanded;
}

function readCodes(value: unknown, name: string, problems: string[]): string[] {
    if (value === undefined || value === null) {
        return [];
    }
    if (!Array.isArray(value)) {
        problems.push(`${name}: expected a list of rule codes; ignored.`);
        return [];
    }
    const codes: string[] = [];
    for (const item of value) {
        const code = typeof item === 'string' ? item.trim().toUpperCase() : '';
        if (!CODE.test(code)) {
            problems.push(`${name}: ${JSON.stringify(item)} is not a rule code or prefix; ignored.`);
        } else if (!codes.includes(code)) {
            codes.push(code);
        }
    }
    return codes;
}

function readSeverityMap(value: unknown, problems: string[]): Record<string, Severity> {
    if (value === undefined || value === null) {
        return {};
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
        problems.push('tensorlint.severity: expected an object such as { "TL101": "warning" }; ignored.');
        return {};
    }
    const out: Record<string, Severity> = {};
    for (const [key, level] of Object.entries(value as Record<string, unknown>)) {
        const code = key.trim().toUpperCase();
        const severity = typeof level === 'string' ? level.trim().toLowerCase() : level;
        if (!CODE.test(code)) {
            problems.push(`tensorlint.severity: ${JSON.stringify(key)} is not a rule code or prefix; ignored.`);
        } else if (!SEVERITIES.includes(severity as Severity)) {
            problems.push(
                `tensorlint.severity.${code}: ${JSON.stringify(level)} is not one of ${SEVERITIES.join(', ')}; ignored.`,
            );
        } else {
            out[code] = severity as Severity;
        }
    }
    return out;
}

function readBoolean(value: unknown, fallback: boolean, name: string, problems: string[]): boolean {
    if (value === undefined || value === null) {
        return fallback;
    }
    if (typeof value !== 'boolean') {
        problems.push(`${name}: expected true or false; using ${fallback}.`);
        return fallback;
    }
    return value;
}

function readEnum<T extends string>(value: unknown, allowed: readonly T[], fallback: T, name: string, problems: string[]): T {
    if (value === undefined || value === null) {
        return fallback;
    }
    if (!allowed.includes(value as T)) {
        problems.push(`${name}: ${JSON.stringify(value)} is not one of ${allowed.join(', ')}; using ${fallback}.`);
        return fallback;
    }
    return value as T;
}
