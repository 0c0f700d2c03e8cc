import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  NO_ANSWER,
  extractFacts,
  extractiveAnswer,
  localTokenCount,
  type Passage,
} from "../src/providers/localModel.js";

describe("extractFacts", () => {
  it("keeps statements and list items, drops questions, greetings and fragments", () => {
    const text = [
      "Hi there! Thanks so much.",
      "My sister lives in Oslo and works as a nurse. Can you remind me about her birthday?",
      "- Buy oat milk for the office kitchen",
      "* Renew the car insurance before March",
      "1. Call the dentist about the broken filling.",
      "Sounds good. Ok.",
      "Hi, I moved to Berlin last year.",
    ].join("\n");
    expect(extractFacts(text)).toEqual([
      "My sister lives in Oslo and works as a nurse.",
      "Buy oat milk for the office kitchen",
      "Renew the car insurance before March",
      "Call the dentist about the broken filling.",
      "I moved to Berlin last year.",
    ]);
  });

  it("drops pure small talk even when it has enough words", () => {
    expect(
      extractFacts("Thank you so much for your help! Good morning everyone. Have a good day, see you soon."),
    ).toEqual([]);
  });

  it("dedupes case-insensitively, keeping the first occurrence and the original order", () => {
    const text =
      "The deploy runs every night at 3am. Alice owns the billing service. " +
      "THE DEPLOY RUNS EVERY NIGHT AT 3AM! the deploy runs   every night at 3am.\nAlice owns the billing service";
    expect(extractFacts(text)).toEqual(["The deploy runs every night at 3am.", "Alice owns the billing service."]);
  });

  it("does not split on abbreviations, initials, decimals or list numbers", () => {
    const text =
      "Dr. Smith prescribed 3.5 mg of the drug daily. " +
      "We prefer small languages, e.g. Lua or Tcl for scripting. " +
      "J. R. R. Tolkien wrote the book in 1937. " +
      "The answer is version 2.0.1 of the library.\n" +
      "2. Water the office plants on Fridays.";
    expect(extractFacts(text)).toEqual([
      "Dr. Smith prescribed 3.5 mg of the drug daily.",
      "We prefer small languages, e.g. Lua or Tcl for scripting.",
      "J. R. R. Tolkien wrote the book in 1937.",
      "The answer is version 2.0.1 of the library.",
      "Water the office plants on Fridays.",
    ]);
  });

  it("still splits at real sentence ends after 'etc.' and ordinary words", () => {
    expect(
      extractFacts(
        "We bought apples, pears, bananas etc. The store closed early that day. Alice said no. We left the shop.",
      ),
    ).toEqual([
      "We bought apples, pears, bananas etc.",
      "The store closed early that day.",
      "Alice said no.",
      "We left the shop.",
    ]);
  });

  it("caps the number of facts and the length of each, cutting at a word boundary", () => {
    const many = Array.from({ length: 100 }, (_, i) => `Server number ${i} runs in rack ${i * 7}.`).join(" ");
    const facts = extractFacts(many);
    expect(facts).toHaveLength(20);
    expect(facts[0]).toBe("Server number 0 runs in rack 0.");
    expect(facts[19]).toBe("Server number 19 runs in rack 133.");
    expect(extractFacts(many, 2)).toEqual(["Server number 0 runs in rack 0.", "Server number 1 runs in rack 7."]);
    expect(extractFacts(many, 0)).toEqual([]);

    const words = Array.from({ length: 400 }, (_, i) => `word${i}`);
    const [long, ...rest] = extractFacts(words.join(" "));
    expect(rest).toEqual([]);
    expect(long).toBeDefined();
    expect(long!.length).toBeLessThanOrEqual(500);
    expect(long!.length).toBeGreaterThan(400);
    // Cut at a word boundary: the fact is a prefix made of whole words.
    const kept = long!.split(" ");
    expect(kept).toEqual(words.slice(0, kept.length));
  });

  it("handles a 100k-character input quickly", () => {
    const big = "The quick brown fox jumps over the lazy dog near the river bank. ".repeat(1600);
    expect(big.length).toBeGreaterThan(100_000);
    const started = performance.now();
    expect(extractFacts(big)).toEqual(["The quick brown fox jumps over the lazy dog near the river bank."]);
    expect(extractFacts(`${".".repeat(100_000)}x`)).toEqual([]);
    expect(extractFacts('?"'.repeat(50_000))).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("returns [] for empty input and never throws on arbitrary Unicode", () => {
    expect(extractFacts("")).toEqual([]);
    expect(extractFacts("   \n\t ")).toEqual([]);
    expect(extractFacts("😀🎉 🇳🇴 👩‍👩‍👧")).toEqual([]);
    expect(extractFacts("שלום עולם, זה משפט ארוך בעברית.")).toEqual(["שלום עולם, זה משפט ארוך בעברית."]);
    const check = (s: string) => {
      const facts = extractFacts(s);
      expect(facts.length).toBeLessThanOrEqual(20);
      for (const f of facts) {
        expect(f.length).toBeGreaterThan(0);
        expect(f.length).toBeLessThanOrEqual(500);
        expect(f.endsWith("?")).toBe(false);
      }
    };
    fc.assert(fc.property(fc.string({ unit: "binary" }), check), { numRuns: 300 });
    // Lone surrogates and control characters as well.
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }), check),
      { numRuns: 300 },
    );
    // Sentence-ish text with punctuation so the splitting paths are exercised.
    const piece = fc.constantFrom(
      "Dr.",
      "e.g.",
      "3.5",
      "?",
      "!",
      ".",
      "\n",
      "- ",
      "1. ",
      "word",
      "Oslo",
      "😀",
      "שלום",
      " ",
      "etc.",
      "…",
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 60 }).map((a) => a.join(" ")),
        check,
      ),
      { numRuns: 300 },
    );
  });
});

describe("extractiveAnswer", () => {
  const passages: Passage[] = [
    { id: "office", text: "The office is in Paris. The team likes coffee in the morning." },
    { id: "colors", text: "Bob's favourite color is red. Alice's favourite color is green." },
    { id: "canteen", text: "The canteen opens at noon. Alice works on the billing team." },
  ];

  it("picks the best-matching sentence and cites its passage among distractors", () => {
    expect(extractiveAnswer("What is Alice's favourite color?", passages, 1)).toEqual({
      text: "Alice's favourite color is green.",
      citedIds: ["colors"],
    });
    expect(extractiveAnswer("Where is the office?", passages, 1)).toEqual({
      text: "The office is in Paris.",
      citedIds: ["office"],
    });
  });

  it("returns up to maxSentences in passage order and cites each passage once, in order of use", () => {
    const a = extractiveAnswer("What is Alice's favourite color?", passages);
    // Alice's color sentence shares the most terms, Bob's shares "s favourite color", the
    // canteen one only "alice"; the office sentences none. Output is in passage order.
    expect(a.text).toBe(
      "Bob's favourite color is red. Alice's favourite color is green. Alice works on the billing team.",
    );
    expect(a.citedIds).toEqual(["colors", "canteen"]);
  });

  it("weights rare question terms above common ones (idf)", () => {
    const ps: Passage[] = [
      { id: "p1", text: "The user logged in. The user changed settings. The user logged out." },
      { id: "p2", text: "Kafka brokers restart at night." },
    ];
    // "user" appears in three sentences, "kafka" in one: the Kafka sentence wins.
    expect(extractiveAnswer("user kafka", ps, 1)).toEqual({
      text: "Kafka brokers restart at night.",
      citedIds: ["p2"],
    });
  });

  it("breaks score ties by passage order, then sentence order", () => {
    const ps: Passage[] = [
      { id: "first", text: "Nothing relevant here. The backup runs daily." },
      { id: "second", text: "The backup runs daily." },
      { id: "third", text: "Backup runs weekly too." },
    ];
    expect(extractiveAnswer("backup", ps, 1)).toEqual({ text: "The backup runs daily.", citedIds: ["first"] });
    expect(extractiveAnswer("backup", ps, 2)).toEqual({
      text: "The backup runs daily. Backup runs weekly too.",
      citedIds: ["first", "third"],
    });
  });

  it("returns NO_ANSWER when no question term occurs in any passage", () => {
    expect(extractiveAnswer("quantum chromodynamics lecture", passages)).toEqual({ text: NO_ANSWER, citedIds: [] });
    expect(extractiveAnswer("the of and", passages)).toEqual({ text: NO_ANSWER, citedIds: [] });
    expect(extractiveAnswer("Where is the office?", [])).toEqual({ text: NO_ANSWER, citedIds: [] });
  });

  it("is deterministic and does not depend on call history", () => {
    const q = "Does the team like coffee in Paris?";
    const first = extractiveAnswer(q, passages);
    for (let i = 0; i < 5; i++) expect(extractiveAnswer(q, passages)).toEqual(first);
    expect(first).toEqual({
      text: "The office is in Paris. The team likes coffee in the morning. Alice works on the billing team.",
      citedIds: ["office", "canteen"],
    });
    fc.assert(
      fc.property(
        fc.string({ unit: "binary" }),
        fc.array(fc.string({ unit: "binary" }), { maxLength: 5 }),
        (question, texts) => {
          const ps = texts.map((text, i) => ({ id: `p${i}`, text }));
          const a = extractiveAnswer(question, ps);
          expect(extractiveAnswer(question, ps)).toEqual(a);
          if (a.text === NO_ANSWER) expect(a.citedIds).toEqual([]);
          else expect(a.citedIds.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("localTokenCount", () => {
  it("counts tokens with the real tokenizer and treats special-token strings as text", () => {
    expect(localTokenCount("")).toBe(0);
    expect(localTokenCount("hello world")).toBeGreaterThan(0);
    expect(localTokenCount("hello world hello world")).toBeGreaterThan(localTokenCount("hello world"));
    // A literal special token is prose: more than one ordinary token, and no throw.
    expect(localTokenCount("<|endoftext|>")).toBeGreaterThan(1);
    expect(localTokenCount("before <|endoftext|> after <|im_start|>")).toBeGreaterThan(localTokenCount("before after"));
  });
});
