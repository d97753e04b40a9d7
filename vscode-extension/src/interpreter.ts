// Which Python runs the server, and whether tensorlint is importable there. The environment is
// handed in (Python extension, PATH lookup, process runner), so every branch is unit-tested.

export type InterpreterSource = 'setting' | 'python-extension' | 'path';

export interface InterpreterChoice {
    /** Executable followed by its own arguments; the server arguments come after these. */
    command: string[];
    source: InterpreterSource;
}

export interface InterpreterEnvironment {
    /**
     * The Python extension's active interpreter for the scope: `undefined` when the extension
     * is absent or has no environment selected. May throw; a failure counts as "absent".
     */
    pythonExtensionInterpreter(): Promise<string[] | undefined>;
    /** Absolute path of `name` found on PATH, or undefined. */
    findOnPath(name: string): Promise<string | undefined>;
}

export interface ChoiceResult {
    choice?: InterpreterChoice;
    /** Human-readable account of each step, in order, for the output channel. */
    tried: string[];
}

const PATH_CANDIDATES = process.platform === 'win32' ? ['python', 'py'] : ['python3', 'python'];

export async function chooseInterpreter(setting: string[], env: InterpreterEnvironment): Promise<ChoiceResult> {
    const tried: string[] = [];
    if (setting.length > 0) {
        tried.push(`tensorlint.interpreter setting: ${formatCommand(setting)}`);
        return { choice: { command: [...setting], source: 'setting' }, tried };
    }
    tried.push('tensorlint.interpreter setting: not set');

    let fromExtension: string[] | undefined;
    try {
        fromExtension = await env.pythonExtensionInterpreter();
        tried.push(
            fromExtension && fromExtension.length > 0
                ? `Python extension's active environment: ${formatCommand(fromExtension)}`
                : "Python extension's active environment: none (extension not installed or no environment selected)",
        );
    } catch (err) {
        tried.push(`Python extension's active environment: failed (${errorText(err)})`);
    }
    if (fromExtension && fromExtension.length > 0) {
        return { choice: { command: [...fromExtension], source: 'python-extension' }, tried };
    }

    for (const name of PATH_CANDIDATES) {
        const found = await env.findOnPath(name);
        tried.push(`${name} on PATH: ${found ?? 'not found'}`);
        if (found) {
            return { choice: { command: [found], source: 'path' }, tried };
        }
    }
    return { tried };
}

// ---- Is tensorlint importable by that interpreter? ----

export interface RunResult {
    /** Exit status; null when the process could not be started or was killed. */
    code: number | null;
    stdout: string;
    stderr: string;
    /** Set when the executable could not be started at all (e.g. ENOENT). */
    spawnError?: string;
}

export type Runner = (command: string, args: string[]) => Promise<RunResult>;

export type ProbeResult =
    | { kind: 'ok'; version: string; python: string }
    | { kind: 'interpreter-missing'; detail: string }
    | { kind: 'not-installed'; detail: string }
    | { kind: 'server-extra-missing'; detail: string; module: string }
    | { kind: 'failed'; detail: string };

// Prints one JSON line: tensorlint's version and the Python version; importing the server
// package also proves that pygls and lsprotocol are there.
const PROBE_SCRIPT = [
    'import json, sys',
    'import tensorlint, tensorlint.server',
    'print(json.dumps({"version": getattr(tensorlint, "__version__", "?"), "python": sys.version.split()[0]}))',
].join('; ');

/**
 * `-I`: isolated mode, as the server runs (see serverOptions.ISOLATED). With `launcher` (the
 * extension's `bundled/tool/launch.py`), tensorlint is imported from the libraries bundled
 * with the extension instead of the interpreter's environment.
 */
export function probeArgs(choice: InterpreterChoice, launcher?: string): { command: string; args: string[] } {
    const run = launcher ? [launcher, '-c', PROBE_SCRIPT] : ['-c', PROBE_SCRIPT];
    return { command: choice.command[0], args: [...choice.command.slice(1), '-I', ...run] };
}

export async function probeTensorlint(choice: InterpreterChoice, run: Runner, launcher?: string): Promise<ProbeResult> {
    const { command, args } = probeArgs(choice, launcher);
    let result: RunResult;
    try {
        result = await run(command, args);
    } catch (err) {
        return { kind: 'interpreter-missing', detail: errorText(err) };
    }
    return classifyProbe(result);
}

export function classifyProbe(result: RunResult): ProbeResult {
    if (result.spawnError) {
        return { kind: 'interpreter-missing', detail: result.spawnError };
    }
    if (result.code === 0) {
        const line = result.stdout.trim().split(/\r?\n/).pop() ?? '';
        try {
            const parsed = JSON.parse(line) as { version?: unknown; python?: unknown };
            return { kind: 'ok', version: String(parsed.version ?? '?'), python: String(parsed.python ?? '?') };
        } catch {
            return { kind: 'failed', detail: `unexpected output: ${line.slice(0, 200)}` };
        }
    }
    const stderr = result.stderr.trim();
    const missing = /No module named '([\w.]+)'/.exec(stderr);
    if (missing) {
        const module = missing[1];
        if (module === 'tensorlint' || module.startsWith('tensorlint.')) {
            return { kind: 'not-installed', detail: lastLine(stderr) };
        }
        return { kind: 'server-extra-missing', detail: lastLine(stderr), module };
    }
    return { kind: 'failed', detail: lastLine(stderr) || `exit status ${result.code}` };
}

// ---- Installing tensorlint into that interpreter ----

export type InstallSource = { kind: 'folder'; path: string };

/**
 * `python -I -m pip install` of tensorlint from a checkout of its repository. tensorlint is on no
 * package index, so nothing is ever installed by name from one.
 * Isolated like the server, so that it installs where the server will look (never only into
 * the user site-packages, which -I leaves out).
 */
export function installCommand(choice: InterpreterChoice, source: InstallSource): { command: string; args: string[] } {
    const target = ['--editable', source.path];
    return { command: choice.command[0], args: [...choice.command.slice(1), '-I', '-m', 'pip', 'install', ...target] };
}

export function formatCommand(parts: string[]): string {
    return parts.map((p) => (/[\s"'$]/.test(p) ? JSON.stringify(p) : p)).join(' ');
}

function lastLine(text: string): string {
    const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
    return lines.length > 0 ? lines[lines.length - 1].trim() : '';
}

function errorText(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
}
