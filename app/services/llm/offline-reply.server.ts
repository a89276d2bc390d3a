/**
 * The text of the offline demo's reply. It says plainly that no model is connected and
 * only reflects the conversation back (a quote, counts, frequent words), so nobody mistakes
 * it for an AI answer. Pure and deterministic: same conversation, same reply.
 */
import type { ChatTurn } from "./provider.server";

const MAX_QUOTE_CHARS = 1500;
const TOP_WORDS = 5;

// Common English function words; without this list "the" and "and" would always win.
const STOP_WORDS = new Set(
  `a about above after again against all am an and any are as at be because been before being below between both
  but by can could did do does doing down during each few for from further had has have having he her here hers
  herself him himself his how i if in into is it its itself just let me more most my myself no nor not now of off
  on once only or other our ours ourselves out over own same she should so some such than that the their theirs
  them themselves then there these they this those through to too under until up very was we were what when where
  which while who whom why will with would you your yours yourself yourselves i'm it's don't can't what's
  there's that's i've i'd you're please also get got like want need make one two`.split(/\s+/),
);

export function buildOfflineReply(messages: readonly ChatTurn[]): string {
  const fromPerson = messages.filter((m) => m.role === "user");
  const instructions = messages.find((m) => m.role === "system");
  const conversation = messages.filter((m) => m.role !== "system");
  const last = fromPerson.at(-1);

  const parts: string[] = [
    "**This is Parley's offline demo: no AI model is connected.** " +
      "This reply was put together by a small script that reflects your conversation back; it does not understand it.",
  ];

  if (last) {
    parts.push(`Your last message was:\n\n${blockquote(last.content)}`);
  } else {
    parts.push("There is no message from you yet.");
  }

  const words = fromPerson.flatMap((m) => wordsOf(m.content));
  const summary = [
    `- Messages from you: ${fromPerson.length} (${conversation.length} in the conversation in total)`,
    `- Length of your messages: ${plural(words.length, "word")}, ${plural(charCount(fromPerson), "character")}`,
    `- Words you used most: ${topWords(words) || "none yet (only short or common words)"}`,
  ];
  if (instructions) {
    summary.push(
      `- Project instructions received: ${plural(wordsOf(instructions.content).length, "word")}, ` +
        `${plural(instructions.content.length, "character")} (a connected model would follow them)`,
    );
  }
  parts.push(`The conversation so far:\n\n${summary.join("\n")}`);

  parts.push(
    "To get real answers, connect a model: set `LLM_BASE_URL` to any OpenAI-compatible API " +
      "(OpenAI, Ollama, llama.cpp, vLLM), plus `LLM_API_KEY` and `LLM_MODEL` if it needs them, " +
      "and restart Parley. The README explains the settings.",
  );
  return parts.join("\n\n");
}

function blockquote(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return "> *(empty message)*";
  const shown =
    trimmed.length > MAX_QUOTE_CHARS
      ? `${trimmed.slice(0, MAX_QUOTE_CHARS).trimEnd()} …(shortened)`
      : trimmed;
  return shown
    .split(/\r?\n/)
    .map((line) => (line.trim() ? `> ${line}` : ">"))
    .join("\n");
}

function wordsOf(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu) ?? []).map((w) =>
    w.replace(/’/g, "'"),
  );
}

function topWords(words: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const word of words) {
    if (word.length < 2 || STOP_WORDS.has(word) || /^\d+$/.test(word)) continue;
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  // Ties break alphabetically so the reply stays deterministic.
  return [...counts]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, TOP_WORDS)
    .map(([word, count]) => `"${word}" (${count})`)
    .join(", ");
}

function charCount(turns: readonly ChatTurn[]): number {
  return turns.reduce((sum, t) => sum + t.content.length, 0);
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
