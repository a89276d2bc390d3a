import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ImportFileError } from "./import-error.server";
import { receiveUpload } from "./receive-upload.server";

function uploadRequest(content: string, options: { declare?: string; name?: string } = {}) {
  const form = new FormData();
  form.append(
    "file",
    new Blob([content], { type: "application/json" }),
    options.name ?? "conversations.json",
  );
  const probe = new Request("http://127.0.0.1/import", { method: "POST", body: form });
  return probe.arrayBuffer().then(
    (body) =>
      new Request("http://127.0.0.1/import", {
        method: "POST",
        body,
        headers: {
          "Content-Type": probe.headers.get("Content-Type")!,
          "Content-Length": options.declare ?? String(body.byteLength),
          "Sec-Fetch-Site": "same-origin",
        },
      }),
  );
}

async function refusal(work: Promise<unknown>): Promise<ImportFileError> {
  const error = await work.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ImportFileError);
  return error as ImportFileError;
}

describe("the import upload", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "parley-upload-test-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("streams the file to disk", async () => {
    const received = await receiveUpload(
      await uploadRequest("[1,2,3]", { name: "my\u0007file.json" }),
      dir,
      1000,
    );
    expect(await readFile(received.path, "utf8")).toBe("[1,2,3]");
    expect(received).toMatchObject({ fileName: "myfile.json", bytes: 7 });
  });

  it("refuses a file over the limit with a 413, and keeps no more of it than the limit", async () => {
    const error = await refusal(receiveUpload(await uploadRequest("x".repeat(5000)), dir, 1000));
    expect(error.status).toBe(413);
    expect(error.message).toBe("The file is larger than this server's import limit of 1,000 bytes.");
    for (const file of await readdir(dir))
      expect((await readFile(path.join(dir, file))).length).toBeLessThanOrEqual(1000);
  });

  it("refuses a body that declares more than the limit before reading it", async () => {
    const request = await uploadRequest("[]", { declare: String(200 * 1024 * 1024) });
    const error = await refusal(receiveUpload(request, dir, 50 * 1024 * 1024));
    expect(error.status).toBe(413);
    expect(error.message).toContain("import limit of 50 MB");
    expect(request.bodyUsed).toBe(false);
    expect(await readdir(dir)).toEqual([]);
  });

  it("asks for a file when none was chosen, and refuses other encodings", async () => {
    const empty = new FormData();
    empty.append("file", new Blob([]), "");
    const probe = new Request("http://127.0.0.1/import", { method: "POST", body: empty });
    expect((await refusal(receiveUpload(probe, dir, 1000))).message).toBe("Choose a file to import.");
    const json = new Request("http://127.0.0.1/import", {
      method: "POST",
      body: "[]",
      headers: { "Content-Type": "application/json" },
    });
    expect((await refusal(receiveUpload(json, dir, 1000))).status).toBe(415);
  });
});
