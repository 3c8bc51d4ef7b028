/**
 * Loading the NAB corpus: data files, label windows and cost profiles.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

import { parseNabDataCsv, parseNabTimestamp, type NabSeries } from "./csv";

/**
 * Where the corpus lives: $NAB_ROOT, else the copy vendored in the repository (bench/nab/corpus,
 * NAB commit ea702d7, MIT; bench/nab/corpus/LICENSE_NOTE.md).
 */
export function resolveNabRoot(): string {
  return process.env.NAB_ROOT || path.resolve(import.meta.dirname, "../nab/corpus");
}

export const DEFAULT_NAB_ROOT = resolveNabRoot();

export interface CostMatrix {
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
  tnWeight?: number;
}

export type Profiles = Record<string, CostMatrix>;

/** NAB's three profiles, in the order NAB prints them. */
export const PROFILE_NAMES = ["standard", "reward_low_FP_rate", "reward_low_FN_rate"] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export interface NabFile extends NabSeries {
  /** "category/file.csv", the key used by labels/combined_windows.json. */
  relPath: string;
  category: string;
  fileName: string;
  /** Label windows as [startMs, endMs] pairs (naive timestamps as UTC ms). */
  windows: Array<[number, number]>;
}

/** Lists "category/file.csv" for every data file, sorted by category then file name. */
export function listCorpusFiles(root = DEFAULT_NAB_ROOT): string[] {
  const dataDir = path.join(root, "data");
  const out: string[] = [];
  for (const category of readdirSync(dataDir).sort()) {
    const catDir = path.join(dataDir, category);
    if (!statSync(catDir).isDirectory()) continue;
    for (const f of readdirSync(catDir).sort()) {
      if (f.endsWith(".csv")) out.push(`${category}/${f}`);
    }
  }
  return out;
}

/** Loads labels/combined_windows.json as ms pairs. */
export function loadWindows(root = DEFAULT_NAB_ROOT, file = "labels/combined_windows.json"): Record<string, Array<[number, number]>> {
  const raw = JSON.parse(readFileSync(path.join(root, file), "utf8")) as Record<string, string[][]>;
  const out: Record<string, Array<[number, number]>> = {};
  for (const [k, ws] of Object.entries(raw)) {
    out[k] = ws.map((w) => {
      if (w.length !== 2) throw new Error(`bad window in ${k}`);
      return [parseNabTimestamp(w[0]!), parseNabTimestamp(w[1]!)] as [number, number];
    });
  }
  return out;
}

/** Loads config/profiles.json → { profileName: CostMatrix }. */
export function loadProfiles(root = DEFAULT_NAB_ROOT): Profiles {
  const raw = JSON.parse(readFileSync(path.join(root, "config/profiles.json"), "utf8")) as Record<string, { CostMatrix: CostMatrix }>;
  const out: Profiles = {};
  for (const [k, v] of Object.entries(raw)) out[k] = v.CostMatrix;
  return out;
}

/** Loads every data file of the corpus (or the given subset) with its windows. */
export function loadCorpus(root = DEFAULT_NAB_ROOT, only?: string[]): NabFile[] {
  const windows = loadWindows(root);
  const files = only ?? listCorpusFiles(root);
  return files.map((relPath) => {
    const text = readFileSync(path.join(root, "data", relPath), "utf8");
    const series = parseNabDataCsv(text, relPath);
    const [category, fileName] = relPath.split("/") as [string, string];
    const w = windows[relPath];
    if (!w) throw new Error(`no windows entry for ${relPath}`);
    return { ...series, relPath, category, fileName, windows: w };
  });
}

/** NAB's per-row `label` column: 1 if the row's timestamp lies in a window (inclusive). */
export function labelRows(timestamps: ArrayLike<number>, windows: Array<[number, number]>): Uint8Array {
  const out = new Uint8Array(timestamps.length);
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i]!;
    for (const [s, e] of windows) {
      if (t >= s && t <= e) {
        out[i] = 1;
        break;
      }
    }
  }
  return out;
}
