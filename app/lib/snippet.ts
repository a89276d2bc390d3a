/**
 * A search title or snippet as parts: text, and the matched words to wrap in <mark>. The
 * database marks matches with two private-use characters (db/repositories/search.ts); they
 * become `marked` parts here and nothing in the text is ever read as markup, so a message
 * holding HTML is shown as the text it is.
 */
export interface SnippetPart {
  text: string;
  marked: boolean;
}

export function snippetParts(text: string, marks: { start: string; end: string }): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let marked = false;
  let current = "";
  const flush = () => {
    if (current) parts.push({ text: current, marked });
    current = "";
  };
  for (const char of text) {
    if (char === marks.start || char === marks.end) {
      flush();
      marked = char === marks.start;
    } else current += char;
  }
  flush();
  return parts;
}
