// Node-only helpers: find an executable on PATH, run a short process. No `vscode` import.
import { execFile } from 'node:child_process';
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RunResult } from './interpreter';

export async function findOnPath(name: string, envPath: string | undefined = process.env.PATH): Promise<string | undefined> {
    const extensions = process.platform === 'win32' ? ['.exe', '.cmd', '.bat', ''] : [''];
    for (const dir of (envPath ?? '').split(path.delimiter)) {
        if (!dir) {
            continue;
        }
        for (const ext of extensions) {
            const candidate = path.join(dir, name + ext);
            try {
                const stat = await fs.stat(candidate);
                if (stat.isFile()) {
                    await fs.access(candidate, constants.X_OK);
                    return candidate;
                }
            } catch {
                // not here; keep looking
            }
        }
    }
    return undefined;
}

/** Runs a process to completion; never rejects. */
export function runProcess(command: string, args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
    return new Promise((resolve) => {
        execFile(
            command,
            args,
            { cwd: options.cwd, timeout: options.timeoutMs ?? 30_000, maxBuffer: 4 * 1024 * 1024, windowsHide: true },
            (error, stdout, stderr) => {
                const err = error as (NodeJS.ErrnoException & { code?: string | number }) | null;
                if (err && typeof err.code === 'string') {
                    // The executable itself could not be started (ENOENT, EACCES, ...).
                    resolve({ code: null, stdout: String(stdout), stderr: String(stderr), spawnError: `${err.code}: ${command}` });
                    return;
                }
                const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
                resolve({ code, stdout: String(stdout), stderr: String(stderr) });
            },
        );
    });
}
