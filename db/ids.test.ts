import { isUuid, uuidv7 } from "./ids";

describe("uuidv7", () => {
  it("makes valid, strictly increasing ids even within one millisecond", () => {
    const ids = Array.from({ length: 5000 }, () => uuidv7(1_800_000_000_000));
    expect(ids.every(isUuid)).toBe(true);
    expect(ids.every((id) => id[14] === "7")).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("rejects what is not a uuid", () => {
    expect(isUuid("not-a-uuid")).toBe(false);
    expect(isUuid("0192f0c0-0000-7000-8000-00000000000g")).toBe(false);
  });
});
