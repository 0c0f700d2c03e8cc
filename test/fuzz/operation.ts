/**
 * The operations the fuzzer sends: one variant per GraphQL field it exercises, with every argument
 * already decided (by the generator), so a run is a plain list of these.
 */
import type { Key, RecordKind } from "./model.js";

export type RecallMode = "HYBRID" | "LEXICAL" | "VECTOR";

/** A requested scope as sent: undefined = no scope argument; anything else is sent as is. */
export type Requested = unknown;

interface Base {
  key: Key;
}

export type Op = Base &
  (
    | {
        type: "remember";
        text: string;
        scope: Requested;
        literal: boolean;
        sessionId?: string;
        infer: boolean;
        contextId?: string;
      }
    | { type: "rememberMany"; items: Array<{ text: string; scope?: Requested }>; scope: Requested; sessionId?: string }
    | { type: "createSession"; scope: Requested; metadata: Record<string, unknown> }
    | { type: "addTurn"; sessionId: string; role: string; content: string }
    | { type: "endSession"; sessionId: string }
    | { type: "session"; id: string }
    | { type: "memory"; id: string }
    | { type: "document"; id: string }
    | { type: "sessions" | "memories" | "documents"; first: number; after?: string; scope: Requested; literal: boolean }
    | {
        type: "recall" | "recallProbe";
        query: string;
        mode: RecallMode;
        scope: Requested;
        sessionId?: string;
        topK: number;
      }
    | { type: "uploadDocument"; title: string; content: string; mimeType: string; scope: Requested }
    | { type: "deleteDocument"; id: string }
    | { type: "forgetIds"; ids: string[]; dryRun: boolean; alsoScope: boolean }
    | { type: "forgetScope"; scope: Requested; dryRun: boolean }
    | { type: "forgetQuery"; query: string; limit: number; dryRun: boolean }
    | { type: "tokenUsage"; groupBy: boolean }
    | { type: "decisionTraces"; first: number; scope: Requested }
    | { type: "answer"; question: string; scope: Requested; sessionId?: string; topK: number }
    | { type: "entities"; refs: Array<{ typename: "Memory" | "Session"; id: string }> }
    | { type: "aliasBatch"; fields: Array<{ kind: RecordKind; id: string }> }
  );

export type OpType = Op["type"];

/** The variant of one operation type. */
export type OpOf<T extends OpType> = Extract<Op, { type: T }>;
