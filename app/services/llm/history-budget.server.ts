/**
 * Fits a conversation into a model's context by characters (a cheap, tokenizer-free
 * proxy). Recent turns matter most, so we keep the newest ones that fit and drop older
 * ones whole; a half-kept old turn would only confuse the model.
 */
import type { ChatTurn } from "./provider.server";

/**
 * Returns the leading system message (if any; it is not counted against the budget, so
 * callers subtract its length themselves if it must fit too) followed by the longest run
 * of most recent turns whose contents fit in `budgetChars`.
 *
 * The last user turn is always kept, since it is what the model must answer: if it alone
 * is over budget it is cut from the start (its end is usually the actual question), and
 * anything after it is dropped.
 */
export function trimHistory(turns: ChatTurn[], budgetChars: number): ChatTurn[] {
  const system = turns[0]?.role === "system" ? turns[0] : undefined;
  const rest = system ? turns.slice(1) : turns;
  const budget = Math.max(0, Math.floor(budgetChars));
  let lastUser = rest.length - 1;
  while (lastUser >= 0 && rest[lastUser].role !== "user") lastUser--;

  // The last user turn and whatever follows it are one unit: keep all of it, or only the
  // (possibly shortened) user turn.
  const mustKeepFrom = lastUser === -1 ? rest.length : lastUser;
  const tail = rest.slice(mustKeepFrom);
  const tailChars = tail.reduce((sum, t) => sum + t.content.length, 0);
  if (tailChars > budget) {
    const user = rest[lastUser];
    return withSystem(system, [{ ...user, content: keepEnd(user.content, budget) }]);
  }

  let used = tailChars;
  let start = mustKeepFrom;
  while (start > 0 && used + rest[start - 1].content.length <= budget) {
    start--;
    used += rest[start].content.length;
  }
  return withSystem(system, rest.slice(start));
}

function withSystem(system: ChatTurn | undefined, turns: ChatTurn[]): ChatTurn[] {
  return system ? [system, ...turns] : turns;
}

function keepEnd(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let cut = text.slice(text.length - maxChars);
  // Never start on the second half of a surrogate pair (a broken emoji).
  if (/^[\uDC00-\uDFFF]/.test(cut)) cut = cut.slice(1);
  return cut;
}
