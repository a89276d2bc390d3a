import type { Fixture } from "#bench/lib/seed";

/**
 * Parley answers 409 to a send while the chat's previous reply is still being generated (as
 * a person would wait), so every send goes to a chat of its own: "slots" are (user, chat)
 * pairs that no read scenario uses (users without a busy chat, their chats 2..20), handed out
 * in disjoint ranges, chat-major so that consecutive sends hit different users.
 */
export interface SendSlot {
  userIndex: number;
  chatIndex: number;
}

export class SendSlots {
  private readonly slots: SendSlot[] = [];
  private cursor = 0;

  constructor(fixture: Fixture) {
    for (let chatIndex = 1; chatIndex < fixture.plan.chatsPerUser; chatIndex += 1) {
      for (let userIndex = fixture.plan.busyChats; userIndex < fixture.users.length; userIndex += 1) {
        this.slots.push({ userIndex, chatIndex });
      }
    }
  }

  get remaining(): number {
    return this.slots.length - this.cursor;
  }

  /** The next `count` unused slots (fewer when the supply runs out; then sends may see 409). */
  take(count: number): SendSlot[] {
    const taken = this.slots.slice(this.cursor, this.cursor + count);
    this.cursor += taken.length;
    return taken;
  }
}
