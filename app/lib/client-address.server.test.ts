import { addressKey, clientAddress } from "./client-address.server";

const request = (forwardedFor?: string) =>
  new Request("http://parley.test/", {
    headers: forwardedFor === undefined ? {} : { "X-Forwarded-For": forwardedFor },
  });

describe("clientAddress", () => {
  it("is the connection's address, and X-Forwarded-For is ignored unless the proxy is trusted", () => {
    const context = { clientAddress: "198.51.100.7" };
    expect(clientAddress(request(), context, false)).toBe("198.51.100.7");
    expect(clientAddress(request("203.0.113.9"), context, false)).toBe("198.51.100.7");
  });

  it("behind a trusted proxy, is the address the proxy appended, whatever the client wrote before it", () => {
    const context = { clientAddress: "10.0.0.2" };
    expect(clientAddress(request("203.0.113.9"), context, true)).toBe("203.0.113.9");
    expect(clientAddress(request("1.1.1.1, 6.6.6.6 , 203.0.113.9"), context, true)).toBe("203.0.113.9");
    expect(clientAddress(request("203.0.113.9:51234"), context, true)).toBe("203.0.113.9");
    // No header, or one that names no address: the connection's address, never a shared "unknown".
    expect(clientAddress(request(), context, true)).toBe("10.0.0.2");
    expect(clientAddress(request("1.1.1.1, nonsense"), context, true)).toBe("10.0.0.2");
  });

  it("is null when nothing says where the request came from (remix-serve without TRUST_PROXY)", () => {
    expect(clientAddress(request("203.0.113.9"), {}, false)).toBeNull();
    expect(clientAddress(request(), {}, true)).toBeNull();
  });
});

describe("addressKey", () => {
  it("keeps IPv4 addresses, also when mapped into IPv6", () => {
    expect(addressKey("192.0.2.1")).toBe("192.0.2.1");
    expect(addressKey("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(addressKey("::FFFF:192.0.2.1")).toBe("192.0.2.1");
  });

  it("reduces IPv6 to its /64, however it is written", () => {
    const key = "2001:db8:aa:bb::/64";
    for (const written of [
      "2001:db8:aa:bb::1",
      "2001:0db8:00aa:00bb:1234:5678:9abc:def0",
      "[2001:db8:aa:bb::2]:443",
      "2001:DB8:AA:BB:ffff::",
    ]) {
      expect(addressKey(written), written).toBe(key);
    }
    expect(addressKey("2001:db8:aa:bc::1")).not.toBe(key);
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(addressKey("64:ff9b::192.0.2.1")).toBe("64:ff9b:0:0::/64");
  });

  it("is null for anything that is not an address", () => {
    for (const bad of ["", "unknown", "example.com", "300.1.1.1", "1.2.3", "2001:db8::g"]) {
      expect(addressKey(bad), bad).toBeNull();
    }
  });
});
