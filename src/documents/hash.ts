/**
 * Identity of a document's content, used to detect re-uploads of the same
 * thing. The mime type is part of it because the same bytes reduce to
 * different text (and chunks) as HTML than as plain text.
 */
import { createHash } from "node:crypto";
import { normalizeMimeType } from "./reduce.js";

export function contentHash(content: string, mimeType: string): string {
  // Normalized so "Text/HTML; charset=utf-8" and "text/html" hash alike; the
  // "\n" separator cannot occur in a mime type, so the two parts cannot blur.
  return createHash("sha256")
    .update(`${normalizeMimeType(mimeType)}\n${content}`, "utf8")
    .digest("hex");
}
