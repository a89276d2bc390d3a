import { isTypingTarget, shortcutFor, type KeyPress } from "./shortcuts";

const body = { tagName: "BODY" };
const textarea = { tagName: "TEXTAREA" };
const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  target: body,
  ...extra,
});

describe("isTypingTarget", () => {
  it.each([
    [{ tagName: "TEXTAREA" }, true],
    [{ tagName: "INPUT", type: "text" }, true],
    [{ tagName: "INPUT", type: "" }, true],
    [{ tagName: "input", type: "SEARCH" }, true],
    [{ tagName: "INPUT", type: "password" }, true],
    [{ tagName: "SELECT" }, true],
    [{ tagName: "DIV", isContentEditable: true }, true],
    [{ tagName: "INPUT", type: "checkbox" }, false],
    [{ tagName: "INPUT", type: "submit" }, false],
    [{ tagName: "INPUT", type: "text", readOnly: true }, false],
    [{ tagName: "TEXTAREA", readOnly: true }, false],
    [{ tagName: "BUTTON" }, false],
    [{ tagName: "A" }, false],
    [body, false],
    [null, false],
  ])("%o → %s", (target, typing) => {
    expect(isTypingTarget(target)).toBe(typing);
  });
});

describe("shortcutFor", () => {
  it("reads the bare keys only outside text fields", () => {
    expect(shortcutFor(press("?", { shiftKey: true }), false)).toBe("help");
    expect(shortcutFor(press("/"), false)).toBe("search");
    expect(shortcutFor(press("?", { shiftKey: true, target: textarea }), false)).toBeNull();
    expect(shortcutFor(press("/", { target: { tagName: "INPUT", type: "search" } }), false)).toBeNull();
    expect(shortcutFor(press("k", { target: textarea }), false)).toBeNull();
    expect(shortcutFor(press("k"), false)).toBeNull();
  });

  it("takes Ctrl (⌘ on a Mac) shortcuts anywhere, since they type nothing", () => {
    expect(shortcutFor(press("k", { ctrlKey: true, target: textarea }), false)).toBe("search");
    expect(shortcutFor(press("K", { ctrlKey: true, shiftKey: true }), false)).toBeNull();
    expect(shortcutFor(press("O", { ctrlKey: true, shiftKey: true, target: textarea }), false)).toBe(
      "new-chat",
    );
    expect(shortcutFor(press("k", { metaKey: true }), true)).toBe("search");
    // On a Mac, Ctrl+K deletes to the end of the line: it is left to the text field.
    expect(shortcutFor(press("k", { ctrlKey: true, target: textarea }), true)).toBeNull();
    expect(shortcutFor(press("k", { ctrlKey: true, altKey: true }), false)).toBeNull();
  });

  it("reads Esc and Shift+Esc in fields too, and nothing while an input method composes", () => {
    expect(shortcutFor(press("Escape", { target: textarea }), false)).toBe("stop-reply");
    expect(shortcutFor(press("Escape", { shiftKey: true, target: textarea }), false)).toBe("focus-composer");
    expect(shortcutFor(press("Escape", { ctrlKey: true }), false)).toBeNull();
    expect(shortcutFor(press("k", { ctrlKey: true, isComposing: true }), false)).toBeNull();
  });
});
