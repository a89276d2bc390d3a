import type { Kysely } from "kysely";
import { uuidv7 } from "#db/ids";
import type { Database, MessageRole } from "#db/schema";
import { seededRandom } from "./stats";

/**
 * The search benchmark's data: one user with many chats of varied text. Word frequencies
 * follow Zipf's law over a vocabulary of English function words, real topic words and
 * generated words (so most words are rare, as in real writing, and a few are everywhere);
 * one message in twenty is German, French or Russian. Same plan = same text.
 */
export interface SearchCorpusPlan {
  chats: number;
  messagesPerChat: number;
}

export const SEARCH_FULL_PLAN: SearchCorpusPlan = { chats: 2_000, messagesPerChat: 50 };
export const SEARCH_QUICK_PLAN: SearchCorpusPlan = { chats: 200, messagesPerChat: 50 };

const FUNCTION_WORDS =
  `the of and to a in is it you that he was for on are with as I his they be at one have this
from or had by not but what some we can out other were all there when up use your how said an each she
which do their if will way about many then them would like so these her see him has more could go come
did my no most who over know than call first people may down been now find any new get just`.split(/\s+/);

const TOPIC_WORDS = `postgres database index query cache latency request server client browser message chat
reply model token stream version redis session cookie route loader action form render markdown table
budget trip paris train hotel museum recipe flour butter oven garden tomato soil water sunlight contract
clause tenant landlord deposit invoice refund python function loop array string error stack trace deploy
docker kubernetes memory leak profile benchmark throughput percentile median outage retry backoff timeout
queue worker schedule calendar meeting agenda summary draft email letter essay paragraph grammar
translate vacation mountain river bicycle coffee espresso sourdough yeast telescope planet orbit violin
piano guitar chord melody harvest compost orchard apricot lemon saffron mortgage insurance pension
salary interview resume manager deadline sprint backlog migration replica failover snapshot backup
encryption certificate password firewall router kernel compiler parser lexer grammar typescript rust`.split(
  /\s+/,
);

const FOREIGN = [
  "Die Straße nach München ist im Winter oft gesperrt, deshalb nehmen wir den Zug über Rosenheim.",
  "Könnten Sie mir bitte die Rechnung für die Übernachtung schicken? Vielen Dank für Ihre Geduld.",
  "Le café était fermé, alors nous avons marché jusqu'à la boulangerie près de la gare.",
  "L'élève a préparé une présentation très détaillée sur la photosynthèse et les écosystèmes.",
  "Мы обсуждали базы данных, индексы и производительность запросов до поздней ночи.",
  "Погода в горах меняется быстро, поэтому возьмите тёплую куртку и запас воды.",
];

const SYLLABLES =
  "ba be bi bo bu da de di do du fa fe fi fo ka ke ki ko la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo za ze zi zo tra pro gen mor lex ten vin dor sel kal".split(
    " ",
  );

/** The vocabulary, most frequent first, and a sampler that draws by Zipf's law (s = 1.07). */
export function buildVocabulary(size = 20_000) {
  const random = seededRandom(7);
  const words = [...FUNCTION_WORDS, ...TOPIC_WORDS];
  const seen = new Set(words);
  while (words.length < size) {
    const count = 2 + Math.floor(random() * 3);
    let word = "";
    for (let index = 0; index < count; index += 1) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    if (!seen.has(word)) {
      seen.add(word);
      words.push(word);
    }
  }
  const cumulative = new Float64Array(words.length);
  let total = 0;
  for (let rank = 0; rank < words.length; rank += 1) {
    total += 1 / Math.pow(rank + 1, 1.07);
    cumulative[rank] = total;
  }
  const draw = (next: () => number) => {
    const target = next() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle] < target) low = middle + 1;
      else high = middle;
    }
    return words[low];
  };
  return { words, draw };
}

function sentence(draw: (next: () => number) => string, random: () => number, min: number, max: number) {
  const count = min + Math.floor(random() * (max - min + 1));
  const words = Array.from({ length: count }, () => draw(random));
  const text = words.join(" ");
  return `${text[0].toUpperCase()}${text.slice(1)}.`;
}

function messageText(draw: (next: () => number) => string, random: () => number, role: MessageRole): string {
  if (random() < 0.05) return FOREIGN[Math.floor(random() * FOREIGN.length)];
  const sentences = role === "user" ? 1 + Math.floor(random() * 3) : 2 + Math.floor(random() * 8);
  return Array.from({ length: sentences }, () => sentence(draw, random, 5, 18)).join(" ");
}

export interface SearchCorpus {
  userId: string;
  counts: { chats: number; messages: number; messageBytes: number };
}

/** Inserts the corpus into a migrated database: one user, `plan.chats` chats, in batches. */
export async function seedSearchCorpus(db: Kysely<Database>, plan: SearchCorpusPlan): Promise<SearchCorpus> {
  const random = seededRandom(11);
  const { draw } = buildVocabulary();
  const now = Date.now();
  const userId = uuidv7(now - 400 * 86_400_000);
  await db.insertInto("users").values({ id: userId, is_guest: true }).execute();
  let messageBytes = 0;
  let messages = 0;
  const CHATS_PER_BATCH = 10;
  for (let first = 0; first < plan.chats; first += CHATS_PER_BATCH) {
    const chatRows = [];
    const messageRows = [];
    const leaves: { chatId: string; leafId: string | null }[] = [];
    for (let chatIndex = first; chatIndex < Math.min(plan.chats, first + CHATS_PER_BATCH); chatIndex += 1) {
      const start = now - (plan.chats - chatIndex) * 3_600_000;
      const chatId = uuidv7(start);
      const title = sentence(draw, random, 2, 5).slice(0, -1);
      chatRows.push({
        id: chatId,
        user_id: userId,
        title,
        title_source: "model" as const,
        created_at: new Date(start),
        updated_at: new Date(start + plan.messagesPerChat * 60_000),
      });
      // Each message follows the one before, as the app writes a chat with no edits: one branch,
      // ending at the chat's active leaf (set below, once the messages exist).
      let parentId: string | null = null;
      for (let index = 0; index < plan.messagesPerChat; index += 1) {
        const role: MessageRole = index % 2 === 0 ? "user" : "assistant";
        const at = new Date(start + index * 60_000);
        const content = messageText(draw, random, role);
        messageBytes += Buffer.byteLength(content);
        const id = uuidv7(at.getTime());
        messageRows.push({
          id,
          parent_id: parentId,
          chat_id: chatId,
          role,
          content,
          status: "complete" as const,
          client_id: role === "user" ? `search-${chatIndex}-${index}` : null,
          created_at: at,
          updated_at: at,
        });
        parentId = id;
      }
      leaves.push({ chatId, leafId: parentId });
    }
    await db.insertInto("chats").values(chatRows).execute();
    messages += messageRows.length;
    for (let offset = 0; offset < messageRows.length; offset += 250)
      await db
        .insertInto("messages")
        .values(messageRows.slice(offset, offset + 250))
        .execute();
    for (const { chatId, leafId } of leaves)
      await db.updateTable("chats").set({ active_leaf_id: leafId }).where("id", "=", chatId).execute();
  }
  return { userId, counts: { chats: plan.chats, messages, messageBytes } };
}

export interface BenchQuery {
  kind: string;
  text: string;
}

/**
 * The queries timed, by kind: words of every frequency (the common ones match thousands of
 * messages, and every match is ranked), part-words, two words, a phrase, other languages.
 */
export function searchQueries(): BenchQuery[] {
  const { words } = buildVocabulary();
  const random = seededRandom(13);
  const pick = (from: number, to: number) => words[from + Math.floor(random() * (to - from))];
  const queries: BenchQuery[] = [];
  for (let index = 0; index < 10; index += 1) queries.push({ kind: "rare word", text: pick(3_000, 15_000) });
  for (let index = 0; index < 10; index += 1) queries.push({ kind: "medium word", text: pick(300, 1_500) });
  for (let index = 0; index < 5; index += 1) queries.push({ kind: "common word", text: pick(120, 250) });
  for (let index = 0; index < 10; index += 1) {
    const word = pick(300, 6_000);
    queries.push({ kind: "part-word", text: word.slice(0, Math.max(4, word.length - 2)) });
  }
  for (let index = 0; index < 5; index += 1)
    queries.push({ kind: "two words", text: `${pick(150, 1_500)} ${pick(150, 1_500)}` });
  queries.push({ kind: "phrase", text: `"${pick(300, 1_500)} ${pick(300, 1_500)}"` });
  for (const text of ["Straße", "boulangerie", "производительность", "élève", "München"])
    queries.push({ kind: "other language", text });
  queries.push({ kind: "stop word", text: "the" });
  return queries;
}
