import { placeOptimistically, type PlaceIntent } from "./sidebar-placement";
import type { ChatSummary } from "./view-types";

const chat = (id: string, minute: number): ChatSummary => ({
  id,
  title: id,
  updatedAt: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
  projectId: null,
});

const ids = (chats: ChatSummary[]) => chats.map((row) => row.id);
const place = (
  pinned: ChatSummary[],
  listed: ChatSummary[],
  pending: Array<[string, PlaceIntent]>,
  complete = false,
) => placeOptimistically(pinned, listed, new Map(pending), complete);

describe("placeOptimistically", () => {
  const a = chat("a", 50);
  const b = chat("b", 40);
  const c = chat("c", 30);
  const p = chat("p", 35);
  const old = chat("old", 1);

  it("moves a chat being pinned to the top of the pinned group", () => {
    const result = place([p], [a, b, c], [["b", "pin"]]);
    expect(ids(result.pinned)).toEqual(["b", "p"]);
    expect(ids(result.listed)).toEqual(["a", "c"]);
  });

  it("puts a chat being unpinned back where its activity places it, or leaves it to a later page", () => {
    expect(ids(place([p], [a, b, c], [["p", "unpin"]]).listed)).toEqual(["a", "b", "p", "c"]);
    expect(ids(place([old], [a, b, c], [["old", "unpin"]]).listed)).toEqual(["a", "b", "c"]);
    expect(ids(place([old], [a, b, c], [["old", "unpin"]], true).listed)).toEqual(["a", "b", "c", "old"]);
  });

  it("hides chats being archived, pinned or not", () => {
    const result = place(
      [p],
      [a, b],
      [
        ["p", "archive"],
        ["a", "archive"],
      ],
    );
    expect(ids(result.pinned)).toEqual([]);
    expect(ids(result.listed)).toEqual(["b"]);
  });

  it("never shows a pinned chat twice (a stale appended page may still hold it)", () => {
    expect(ids(place([b], [a, b, c], []).listed)).toEqual(["a", "c"]);
  });
});
