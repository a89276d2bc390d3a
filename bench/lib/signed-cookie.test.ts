import { createSessionCookie } from "#app/services/session-cookie.server";
import { readSignedCookie } from "./signed-cookie";

describe("readSignedCookie (the bare baseline's cookie check)", () => {
  const secret = "s".repeat(40);

  it("reads what Parley's session cookie writes, and rejects tampering or another secret", async () => {
    const value = { s: "abcdefghijklmnopqrstuvwx", u: "01234567-89ab-7def-8123-456789abcdef" };
    const header = (await createSessionCookie(secret, false).serialize(value)).split(";")[0];
    expect(readSignedCookie(`other=1; ${header}`, "parley_session", secret)).toEqual(value);
    expect(readSignedCookie(header, "parley_session", "t".repeat(40))).toBeNull();
    expect(
      readSignedCookie(
        header.replace(/.$/, (c) => (c === "A" ? "B" : "A")),
        "parley_session",
        secret,
      ),
    ).toBeNull();
    expect(readSignedCookie(undefined, "parley_session", secret)).toBeNull();
    expect(readSignedCookie("parley_session=nodot", "parley_session", secret)).toBeNull();
  });
});
