import type { RaisedVersion, VersionFeed } from "#db/hot-store/version-feed";
import { VersionMirror } from "./version-mirror";

/** A feed the test drives by hand: its epoch, and the announcements it delivers. */
function handFeed() {
  let epoch: string | null = "1";
  const listeners = new Set<(epoch: string, raised: readonly RaisedVersion[]) => void>();
  const feed: VersionFeed = {
    epoch: () => epoch,
    onRaised(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    feed,
    set epoch(value: string | null) {
      epoch = value;
    },
    announce(raised: RaisedVersion[]) {
      for (const listener of listeners) listener(epoch ?? "none", raised);
    },
  };
}

const options = { maxBytes: 1024 * 1024, ttlMs: 60_000 };

describe("the version mirror", () => {
  it("keeps the highest version, whichever of a read and an announcement comes first", () => {
    const hand = handFeed();
    const mirror = new VersionMirror(hand.feed, options);
    const sentIn = mirror.current();
    hand.announce([["list", 5]]);
    mirror.learn(sentIn, ["list"], [4]); // the read was answered before the raise
    expect(mirror.read(["list"])).toEqual([5]);
    hand.announce([["list", 6]]);
    expect(mirror.read(["list"])).toEqual([6]);
  });

  it("answers only for keys it knows, never for a missing one", () => {
    const hand = handFeed();
    const mirror = new VersionMirror(hand.feed, options);
    mirror.learn(mirror.current(), ["list", "chat"], [1, null]);
    expect(mirror.read(["list"])).toEqual([1]);
    expect(mirror.read(["list", "chat"])).toBeNull();
  });

  it("forgets everything when the feed stops being live, and ignores reads sent before it came back", () => {
    const hand = handFeed();
    const mirror = new VersionMirror(hand.feed, options);
    mirror.learn(mirror.current(), ["list"], [1]);
    const sentBefore = mirror.current();
    hand.epoch = null;
    expect(mirror.read(["list"])).toBeNull();
    hand.epoch = "2";
    mirror.learn(sentBefore, ["list"], [1]); // sent in epoch 1: something may have been missed
    expect(mirror.read(["list"])).toBeNull();
    mirror.learn(mirror.current(), ["list"], [3]);
    expect(mirror.read(["list"])).toEqual([3]);
  });

  it("forgets everything when the epoch moves on without a gap it saw (a new cache generation)", () => {
    const hand = handFeed();
    const mirror = new VersionMirror(hand.feed, options);
    mirror.learn(mirror.current(), ["list"], [9]);
    hand.epoch = "1:g2";
    expect(mirror.read(["list"])).toBeNull();
  });

  it("is bounded by bytes", () => {
    const hand = handFeed();
    const mirror = new VersionMirror(hand.feed, { maxBytes: 50_000, ttlMs: 60_000 });
    const keys = Array.from({ length: 5_000 }, (_, index) => `{u:${index}}:ver:list`);
    mirror.learn(
      mirror.current(),
      keys,
      keys.map(() => 1),
    );
    expect(mirror.size).toBeGreaterThan(0);
    expect(mirror.size).toBeLessThan(300);
  });
});
