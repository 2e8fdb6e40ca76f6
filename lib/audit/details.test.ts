import { describe, expect, it } from "vitest";
import { changeEntries } from "./details.ts";

describe("readable audit details", () => {
  it("lists an object's fields as key: value, nested keys dotted", () => {
    expect(changeEntries(JSON.stringify({ role: "AUDITOR", filters: { actor: "a@x.io", action: "user.created" }, rows: 3 }))).toEqual([
      { key: "role", value: "AUDITOR" },
      { key: "filters.actor", value: "a@x.io" },
      { key: "filters.action", value: "user.created" },
      { key: "rows", value: "3" },
    ]);
  });

  it("joins lists and shows empty values as a dash", () => {
    expect(changeEntries(JSON.stringify({ cidrs: ["10.0.0.0/8", "::1"], note: null, filters: {} }))).toEqual([
      { key: "cidrs", value: "10.0.0.0/8, ::1" },
      { key: "note", value: "—" },
      { key: "filters", value: "—" },
    ]);
  });

  it("shows nothing for an empty object and the raw text when it is not JSON", () => {
    expect(changeEntries("{}")).toEqual([]);
    expect(changeEntries("not json")).toEqual([{ key: "", value: "not json" }]);
  });
});
