import { boundHeapGrowth } from "./heap-growth";

describe("boundHeapGrowth", () => {
  it("sets the growth factor unless node was given one, in either spelling", () => {
    expect(boundHeapGrowth([])).toBe(true);
    expect(boundHeapGrowth(["--import", "tsx"])).toBe(true);
    expect(boundHeapGrowth(["--heap-growing-percent=0"])).toBe(false);
    expect(boundHeapGrowth(["--heap_growing_percent=80"])).toBe(false);
  });
});
