import { parseSyncTabMessage } from "./sync-tab-messages";

describe("the messages between tabs", () => {
  it("takes each kind of message the tabs send", () => {
    const messages = [
      { type: "interest", tab: "a1", chatId: "c1", lastActivity: 5 },
      { type: "interest", tab: "a1", lastActivity: 5 },
      { type: "bye", tab: "a1" },
      { type: "hello" },
      { type: "check" },
      { type: "state", chatId: "c1", sync: { list: 3, chat: 4 } },
      { type: "state", sync: { list: 3, chat: null } },
    ];
    for (const message of messages) {
      const parsed = parseSyncTabMessage(message);
      expect(parsed).toEqual(JSON.parse(JSON.stringify(message)));
    }
  });

  it("drops extra fields, so nothing else a post carries reaches the page", () => {
    expect(parseSyncTabMessage({ type: "bye", tab: "a1", html: "<img>" })).toEqual({
      type: "bye",
      tab: "a1",
    });
  });

  it.each([
    null,
    "state",
    { type: "unknown" },
    { type: "interest", tab: "a1" },
    { type: "interest", tab: "x".repeat(65), lastActivity: 1 },
    { type: "interest", tab: "a1", lastActivity: Number.NaN },
    { type: "bye" },
    { type: "state", sync: { list: "3", chat: null } },
    { type: "state", sync: { list: 3 } },
    { type: "state", chatId: 7, sync: { list: 3, chat: 4 } },
    { type: "state" },
  ])("refuses %j", (data) => {
    expect(parseSyncTabMessage(data)).toBeNull();
  });
});
