import type { ConfigReader } from '../src/settings';

/** A ConfigReader over a plain object of `tensorlint.*` keys (without the prefix). */
export function reader(values: Record<string, unknown>): ConfigReader {
    return { get: (key: string) => values[key] };
}

export const HOME = '/home/ada';
export const FOLDER = '/work/project';
