import { groupByTime, timeGroup } from "./time-groups";

describe("timeGroup", () => {
  const now = new Date(2026, 10, 26, 9, 30);
  it.each([
    [new Date(2026, 10, 26, 0, 1), "Today"],
    [new Date(2026, 10, 25, 23, 59), "Yesterday"],
    [new Date(2026, 10, 20, 12, 0), "Previous 7 days"],
    [new Date(2026, 10, 1, 12, 0), "Previous 30 days"],
    [new Date(2026, 8, 1, 12, 0), "Older"],
  ])("puts %s under %s", (at, group) => {
    expect(timeGroup(at, now)).toBe(group);
  });

  it("groups consecutive items", () => {
    const items = [
      new Date(2026, 10, 26, 9),
      new Date(2026, 10, 26, 8),
      new Date(2026, 10, 25, 8),
      new Date(2026, 0, 1),
    ];
    expect(groupByTime(items, (item) => item, now).map(({ group, items }) => [group, items.length])).toEqual([
      ["Today", 2],
      ["Yesterday", 1],
      ["Older", 1],
    ]);
  });
});
