import { fieldErrors } from "./forms";
import { changePasswordSchema, signInSchema, signUpSchema } from "./account-forms";

const problems = (result: { success: boolean; error?: unknown }) =>
  result.success ? {} : fieldErrors(result.error as Parameters<typeof fieldErrors>[0]);

describe("account forms", () => {
  it("store an email trimmed and in lower case", () => {
    const parsed = signUpSchema.parse({
      email: "  Ada.Lovelace@Example.COM ",
      password: "difference engine",
    });
    expect(parsed.email).toBe("ada.lovelace@example.com");
  });

  it("never trim a password, and drop every field they do not know", () => {
    const parsed = signInSchema.parse({
      email: "ada@example.com",
      password: "  spaces count  ",
      userId: "01a23395-6897-7000-8ad7-d9075c8bb77b",
      guestId: "x",
      chatId: "y",
    });
    expect(parsed).toEqual({ email: "ada@example.com", password: "  spaces count  ", redirectTo: undefined });
  });

  it("refuse a NUL byte, an over-long value and a malformed email with a message for the field", () => {
    expect(problems(signUpSchema.safeParse({ email: "ada@example.com", password: "pass\0word!" }))).toEqual({
      password: "Passwords cannot contain a NUL character.",
    });
    expect(problems(signUpSchema.safeParse({ email: "ada\0@example.com", password: "long enough" }))).toEqual(
      {
        email: "Enter an email address like name@example.com.",
      },
    );
    expect(
      problems(signUpSchema.safeParse({ email: "ada@example.com", password: "x".repeat(1_025) })),
    ).toEqual({
      password: "Passwords can be at most 1,024 characters.",
    });
    expect(
      problems(signUpSchema.safeParse({ email: "ada@example.com", password: "x".repeat(1_024) })),
    ).toEqual({});
    expect(
      problems(signUpSchema.safeParse({ email: `${"a".repeat(250)}@example.com`, password: "long enough" })),
    ).toEqual({ email: "Emails can be at most 254 characters." });
    expect(problems(signUpSchema.safeParse({ email: "not-an-email", password: "long enough" }))).toEqual({
      email: "Enter an email address like name@example.com.",
    });
    expect(problems(signUpSchema.safeParse({ email: "ada@example.com", password: "seven77" }))).toEqual({
      password: "Passwords need at least 8 characters.",
    });
    expect(
      problems(
        changePasswordSchema.safeParse({ intent: "change-password", currentPassword: "", newPassword: "x" }),
      ),
    ).toEqual({
      currentPassword: "Enter your password.",
      newPassword: "Passwords need at least 8 characters.",
    });
  });

  it("only return to a path on this site", () => {
    const returnTo = (redirectTo: string) =>
      signInSchema.safeParse({ email: "ada@example.com", password: "p", redirectTo });
    expect(returnTo("/chats/abc?x=1").success).toBe(true);
    for (const bad of ["//evil.example", "/\\evil.example", "https://evil.example", "/a\0b", "/a b", "chats"])
      expect(returnTo(bad).success, bad).toBe(false);
  });
});
