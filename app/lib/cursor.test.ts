import { decodeCursor, encodeCursor } from "./cursor";

describe("cursor", () => {
  it("round-trips a timestamp and id", () => {
    const at = new Date("2026-11-26T12:00:00.123Z");
    const id = "019abcde-0000-7000-8000-000000000001";
    expect(decodeCursor(encodeCursor(at, id))).toEqual({ at, id });
  });

  it.each(["", "garbage", btoa("[1,2]"), btoa('["2026-11-26T12:00:00Z","not-a-uuid"]')])(
    "rejects %j",
    (text) => {
      expect(decodeCursor(text)).toBeNull();
    },
  );
});
