/**
 * LoCoMo (Maharana et al., "Evaluating Very Long-Term Conversational Memory of LLM Agents", ACL 2024;
 * `snap-research/locomo`, `data/locomo10.json`, CC BY-NC 4.0): loading one conversation file and the
 * evidence-recall metric, shared by `bench/quality.ts`. Pure, apart from reading the files.
 *
 * A conversation file is one sample of `locomo10.json` as the dev split keeps it: `speaker_a`,
 * `speaker_b`, `session_N` (turns `{speaker, dia_id, text, blip_caption?}`), `session_N_date_time`
 * and `qa` (`{question, answer, evidence: dia_id[], category: 1–5}`).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface LocomoTurn {
  /** LoCoMo's turn id, e.g. "D1:3" (session 1, turn 3). */
  dia: string;
  speaker: string;
  text: string;
  caption: string | null;
}

export interface LocomoSession {
  /** 1-based session number. */
  n: number;
  /** As written in the data, e.g. "1:56 pm on 8 May, 2023". */
  date: string;
  turns: LocomoTurn[];
}

export interface LocomoQuestion {
  question: string;
  evidence: string[];
  category: number;
}

export interface LocomoConversation {
  /** The file's name without `.json`. */
  name: string;
  speakers: [string, string];
  sessions: LocomoSession[];
  questions: LocomoQuestion[];
}

/**
 * The text remembered for one turn, as a user of the gateway would write it:
 * `"[<session date>] <speaker>: <text>"`, plus the photo's caption when the turn shared one.
 */
export function memoryText(session: LocomoSession, turn: LocomoTurn): string {
  const base = `[${session.date}] ${turn.speaker}: ${turn.text}`;
  return turn.caption ? `${base} [photo: ${turn.caption}]` : base;
}

/** Every `*.json` of `folder`, sorted by name. */
export function loadLocomo(folder: string): LocomoConversation[] {
  return readdirSync(folder)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => parseConversation(f.slice(0, -5), JSON.parse(readFileSync(join(folder, f), "utf8"))));
}

export function parseConversation(name: string, raw: any): LocomoConversation {
  const sessions: LocomoSession[] = [];
  for (let n = 1; Array.isArray(raw[`session_${n}`]); n++) {
    sessions.push({
      n,
      date: String(raw[`session_${n}_date_time`] ?? ""),
      turns: (raw[`session_${n}`] as any[]).map((t) => ({
        dia: String(t.dia_id),
        speaker: String(t.speaker),
        text: String(t.text ?? ""),
        caption: typeof t.blip_caption === "string" && t.blip_caption.trim() !== "" ? t.blip_caption : null,
      })),
    });
  }
  const questions = (raw.qa as any[]).map((q) => ({
    question: String(q.question),
    // One entry of the data names two turns ("D8:6; D9:17"): split on separators.
    evidence: (q.evidence as unknown[]).flatMap((e) =>
      String(e)
        .split(/[;,\s]+/)
        .filter((d) => d !== ""),
    ),
    category: Number(q.category),
  }));
  return { name, speakers: [String(raw.speaker_a), String(raw.speaker_b)], sessions, questions };
}

/**
 * Categories 1–4 (multi-hop, temporal, open-domain, single-hop); category 5 (adversarial) has no
 * answer in the conversation and is left out, as usual. A few questions list no evidence: they stay
 * in and count as misses, so every configuration is scored over the same questions.
 */
export const ASKED = (q: LocomoQuestion) => q.category >= 1 && q.category <= 4;

/**
 * Evidence recall@k of one question: 1 when any of the first k returned turns is in its evidence
 * (a returned memory counts when its `dia` is in the evidence), else 0. Averaged over questions
 * by the caller.
 */
export function evidenceHit(evidence: readonly string[], returned: readonly string[], k: number): 0 | 1 {
  const want = new Set(evidence);
  return returned.slice(0, k).some((d) => want.has(d)) ? 1 : 0;
}
