import { describeWait, refusal } from "./refusal.server";

describe("describeWait", () => {
  it("rounds up, so the person never comes back too early", () => {
    expect(describeWait(1)).toBe("in 1 second");
    expect(describeWait(59)).toBe("in 59 seconds");
    expect(describeWait(60)).toBe("in 1 minute");
    expect(describeWait(61)).toBe("in 2 minutes");
    expect(describeWait(3540)).toBe("in 59 minutes");
    expect(describeWait(3541)).toBe("in 1 hour");
    expect(describeWait(3600)).toBe("in 1 hour");
    expect(describeWait(3601)).toBe("in 2 hours");
  });
});

describe("refusal", () => {
  it("gives whole seconds for Retry-After, at least one", () => {
    expect(refusal(1, (wait) => wait)).toEqual({ retryAfterSeconds: 1, message: "in 1 second" });
    expect(refusal(0, (wait) => wait).retryAfterSeconds).toBe(1);
    expect(refusal(3_599_001, (wait) => `Try again ${wait}.`)).toEqual({
      retryAfterSeconds: 3600,
      message: "Try again in 1 hour.",
    });
  });
});
