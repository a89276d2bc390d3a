import { readFileSync } from "node:fs";
import { chatFromConversation } from "./chatgpt-conversation.server";

const fixture = JSON.parse(readFileSync("e2e/fixtures/chatgpt-branches.json", "utf8")) as unknown[];

describe("a ChatGPT conversation as a chat", () => {
  it("keeps only the path to current_node, and only the user and assistant text on it", () => {
    const chat = chatFromConversation(fixture[0], 1);
    expect(chat.title).toBe("Trip to Lyon");
    expect(chat.clientId).toBe("chatgpt:6f1c2a10-0000-4000-8000-00000000000a");
    expect(chat.messages.map((message) => [message.role, message.content])).toEqual([
      ["user", "How long is the train from Paris to Lyon?"],
      ["assistant", "About **two hours** by TGV."],
      ["user", "And the price?"],
      ["assistant", "Usually between 30 and 90 euros."],
    ]);
    expect(chat.messages.map((message) => message.clientId)).toEqual([
      "a-user-1",
      "a-assistant-new",
      "a-user-2",
      "a-assistant-price",
    ]);
    expect(chat.messages[1].model).toBe("gpt-4o");
    expect(chat.messages[0].createdAt.toISOString()).toBe(new Date(1733000010_000).toISOString());
  });

  it("follows an edited question's branch, not the first wording", () => {
    const chat = chatFromConversation(fixture[1], 2);
    expect(chat.messages.map((message) => message.content)).toEqual(["Hello again, edited", "Hi again!"]);
  });

  it("keeps the path's order when a node has no time or an earlier one", () => {
    const conversation = structuredClone(fixture[1]) as {
      mapping: Record<string, { message: { create_time: number | null } }>;
    };
    conversation.mapping["b-user-2"].message.create_time = null;
    conversation.mapping["b-assistant-2"].message.create_time = 5;
    const times = chatFromConversation(conversation, 1).messages.map((message) =>
      message.createdAt.getTime(),
    );
    expect(times[1]).toBeGreaterThanOrEqual(times[0]);
  });

  it.each([
    [{ title: "x", current_node: "a" }, "conversations.json: item 3 has no mapping."],
    [{ title: "x", mapping: {} }, "conversations.json: item 3 has no current_node."],
    [
      { mapping: {}, current_node: "gone" },
      'conversations.json: item 3: current_node "gone" is not in the mapping.',
    ],
    [
      { mapping: { a: { parent: "b", message: null } }, current_node: "a" },
      'conversations.json: item 3: node "a" has parent "b", which is not in the mapping.',
    ],
    [
      { mapping: { a: { parent: "b" }, b: { parent: "a" } }, current_node: "a" },
      'conversations.json: item 3: the mapping loops back to node "a".',
    ],
    ["just text", "conversations.json: item 3 is not a conversation (an object with a mapping)."],
  ])("refuses %j with a message naming the item", (value, message) => {
    expect(() => chatFromConversation(value, 3)).toThrow(message);
  });

  it("refuses text Postgres cannot store, naming the node", () => {
    const conversation = structuredClone(fixture[1]) as {
      mapping: Record<string, { message: { content: { parts: string[] } } }>;
    };
    conversation.mapping["b-user-2"].message.content.parts = ["a\u0000b"];
    expect(() => chatFromConversation(conversation, 2)).toThrow(
      /item 2: node "b-user-2": Remove the NUL character/,
    );
  });
});
