import { describe, expect, it } from "vitest";
import { csvCell, csvLine } from "./csv.ts";

describe("CSV cells", () => {
  it("leaves plain text and numbers alone", () => {
    expect(csvCell("auth.sign_in.succeeded")).toBe("auth.sign_in.succeeded");
    expect(csvCell(42)).toBe("42");
    expect(csvCell(null)).toBe("");
  });

  it("quotes commas, quotes and line breaks, doubling inner quotes", () => {
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
  });

  it.each(["=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\r=1"])(
    "neutralises a cell a spreadsheet would run as a formula: %j",
    (value) => {
      const cell = csvCell(value);
      expect(cell.startsWith(`"'`)).toBe(true);
      expect(cell.slice(2, -1).replace(/""/g, '"')).toBe(value);
    },
  );

  it("ends each line with CRLF", () => {
    expect(csvLine([1, "a,b", null])).toBe('1,"a,b",\r\n');
  });
});
