/**
 * Deterministic bench text: a Zipf-like draw from a fixed vocabulary of made-up words, so every
 * run (and every process of one run) writes the same corpus. Same generator as bench/recall.ts.
 */
export function textSource(seed = 42) {
  let state = seed;
  const rand = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const word = () => VOCAB[Math.floor(rand() ** 2.2 * VOCAB.length)]!;
  const sentence = (len: number) => Array.from({ length: len }, word).join(" ");
  return {
    rand,
    word,
    sentence,
    /** A memory-sized text: 12–21 words. */
    memoryText: () => sentence(12 + Math.floor(rand() * 10)),
  };
}

const VOCAB = Array.from({ length: 4000 }, (_, i) => syllables(i));
function syllables(n: number): string {
  const parts = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "pe", "da", "gu", "ho", "ze", "bi", "fa", "wu"];
  let s = "";
  do {
    s += parts[n % 16];
    n = Math.floor(n / 16);
  } while (n > 0);
  return `${s}n`;
}
