import { randomBytes } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { assembleGzip, spliceBody } from "./spliced-gzip";

describe("spliced gzip", () => {
  it("puts fresh values where the rendered ones stood, in a stream any gunzip accepts", () => {
    const nonce = randomBytes(16).toString("base64");
    const clientId = randomBytes(16).toString("hex");
    const text =
      `<script nonce="${nonce}">x</script><input value="${clientId}">` +
      "filler ".repeat(5_000) +
      `<script nonce="${nonce}">enqueue("${clientId}")</script>`;
    const body = spliceBody(Buffer.from(text), [nonce, clientId], 6);
    expect(body.holes).toEqual([0, 1, 0, 1]);
    const fresh = ["n".repeat(24), "c".repeat(40)]; // another length than the original
    // gunzipSync checks the CRC-32 and the length in the trailer.
    const served = gunzipSync(Buffer.concat(assembleGzip(body, fresh))).toString();
    expect(served).toBe(text.replaceAll(nonce, fresh[0]).replaceAll(clientId, fresh[1]));
    expect(body.bytes).toBeLessThan(text.length / 10);
  });

  it("serves a body with no holes, one that starts or ends with a value, and an empty one", () => {
    for (const text of ["plain body", "VALUE in the middle VALUE", "VALUE", ""]) {
      const body = spliceBody(Buffer.from(text), ["VALUE"], 1);
      const served = gunzipSync(Buffer.concat(assembleGzip(body, ["fresh"]))).toString();
      expect(served).toBe(text.replaceAll("VALUE", "fresh"));
    }
  });

  it("keeps multi-byte text whole around the holes", () => {
    const text = "é→🙂 ID42 ✓".repeat(300);
    const body = spliceBody(Buffer.from(text), ["ID42"], 6);
    expect(gunzipSync(Buffer.concat(assembleGzip(body, ["ñ"]))).toString()).toBe(
      text.replaceAll("ID42", "ñ"),
    );
  });

  it("holds in memory no more than the bytes the cache counts for it", () => {
    const nonce = randomBytes(16).toString("base64");
    // Many small pieces: each one's deflate output is a few dozen bytes.
    const text = Array.from(
      { length: 40 },
      (_, i) => `<p>message ${i}</p><script nonce="${nonce}"></script>`,
    ).join("");
    const body = spliceBody(Buffer.from(text), [nonce], 1);
    expect(body.pieces.length).toBe(41);
    const held = new Set(body.pieces.filter((piece) => piece.length > 0).map((piece) => piece.buffer));
    const heldBytes = [...held].reduce((sum, buffer) => sum + buffer.byteLength, 0);
    expect(heldBytes).toBe(body.bytes);
  });
});
