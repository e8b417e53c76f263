// Lookups into the generated AI table (src/gs1/ai/table.generated.ts): by AI, by the start of an
// element string (AIs are prefix-free, GS1 General Specifications §3.1), and by AI pattern.
import { AI_TABLE } from "./table.generated.js";
import type { AiEntry } from "./types.js";

const BY_AI: ReadonlyMap<string, AiEntry> = new Map(AI_TABLE.map((entry) => [entry.ai, entry]));

/** Returns the dictionary entry of `ai` ("01", "3103"), or undefined for an AI not in it. */
export function aiEntry(ai: string): AiEntry | undefined {
  return BY_AI.get(ai);
}

/**
 * Returns the entry of the AI that `data` begins with at `offset` (default 0), trying 2, 3 and 4
 * digits, e.g. "3103000195..." → (3103); undefined when no AI of the table starts there. The
 * answer is unique because no AI of the table is a prefix of another (a test keeps it so).
 */
export function aiEntryAt(data: string, offset = 0): AiEntry | undefined {
  for (let length = 2; length <= 4; length++) {
    const entry = BY_AI.get(data.slice(offset, offset + length));
    if (entry) return entry;
  }
  return undefined;
}

/**
 * Returns true when `ai` matches `pattern` from a req= or ex= attribute: same length, each "n"
 * any digit, other characters equal ("310n" matches "3103"; "35nn" matches "3512").
 */
export function matchesAiPattern(ai: string, pattern: string): boolean {
  if (ai.length !== pattern.length) return false;
  for (let i = 0; i < ai.length; i++) {
    const p = pattern[i];
    if (p === "n" ? !(ai[i] >= "0" && ai[i] <= "9") : p !== ai[i]) return false;
  }
  return true;
}
