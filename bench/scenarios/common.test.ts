import type { Fixture } from "#bench/lib/seed";
import { mixEntries, sendEntries } from "./common";
import { SendSlots } from "./send-slots";

function fixture(users: number, chatsPerUser: number, busyChats: number): Fixture {
  return {
    plan: { users, chatsPerUser, busyChats, busyMessages: 200, regularMessagesMin: 2, regularMessagesMax: 4 },
    users: Array.from({ length: users }, (_, user) => ({
      id: `u${user}`,
      sessionId: `s${user}`,
      cookie: `parley_session=c${user}`,
      chatIds: Array.from({ length: chatsPerUser }, (_, chat) => `chat-${user}-${chat}`),
      listMarker: `m${user}`,
    })),
    busy: [],
    counts: { users, chats: users * chatsPerUser, messages: 0, messageBytes: 0 },
    seconds: 0,
  };
}

describe("SendSlots", () => {
  it("hands out disjoint chats, never a busy user's and never a user's latest chat, spreading consecutive sends over users", () => {
    const slots = new SendSlots(fixture(5, 4, 2));
    expect(slots.remaining).toBe(3 * 3);
    const first = slots.take(4);
    const second = slots.take(10);
    expect(first).toEqual([
      { userIndex: 2, chatIndex: 1 },
      { userIndex: 3, chatIndex: 1 },
      { userIndex: 4, chatIndex: 1 },
      { userIndex: 2, chatIndex: 2 },
    ]);
    expect(second).toHaveLength(5);
    const all = [...first, ...second].map((slot) => `${slot.userIndex}/${slot.chatIndex}`);
    expect(new Set(all).size).toBe(all.length);
    expect(slots.take(1)).toEqual([]);
  });

  it("builds form posts with a unique client id placeholder per request", () => {
    const data = fixture(3, 3, 1);
    const [entry] = sendEntries(data, [{ userIndex: 2, chatIndex: 1 }], "fetcher");
    expect(entry.method).toBe("POST");
    expect(entry.path).toBe("/chats/chat-2-1");
    expect(entry.headers.Cookie).toBe("parley_session=c2");
    const body = new URLSearchParams(entry.body);
    expect(body.get("intent")).toBe("send");
    expect(body.get("via")).toBe("fetcher");
    expect(body.get("clientId")).toBe("bench-__UID__");
  });
});

describe("mixEntries", () => {
  it("keeps the weights and is the same on every run", () => {
    const entry = (label: string) => ({ label, method: "GET" as const, path: `/${label}`, headers: {} });
    const parts = [
      { weight: 50, entries: [entry("sync")] },
      { weight: 30, entries: [entry("data"), entry("data2")] },
      { weight: 20, entries: [entry("doc")] },
    ];
    const mix = mixEntries(parts, 1000);
    const count = (prefix: string) => mix.filter((item) => item.label.startsWith(prefix)).length;
    expect(mix).toHaveLength(1000);
    expect(count("sync")).toBe(500);
    expect(count("data")).toBe(300);
    expect(count("doc")).toBe(200);
    expect(mixEntries(parts, 1000)).toEqual(mix);
    expect(mix.slice(0, 20).map((item) => item.label)).not.toEqual(Array(20).fill("sync"));
  });
});
