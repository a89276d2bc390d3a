import { describe, expect, it } from "vitest";
import { errorTitle } from "./error-title";

describe("errorTitle", () => {
  it("names what was not found", () => {
    expect(errorTitle(404, "Chat not found")).toBe("Chat not found");
    expect(errorTitle(404)).toBe("Not found");
  });

  it("says a refused request was not accepted, with its code", () => {
    expect(errorTitle(415)).toBe("Not accepted (415)");
    expect(errorTitle(400)).toBe("Not accepted (400)");
  });

  it("says a server-side failure went wrong", () => {
    expect(errorTitle(503)).toBe("Something went wrong (503)");
  });
});
