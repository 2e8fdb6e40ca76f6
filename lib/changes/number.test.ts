import { describe, expect, it } from "vitest";
import { formatChangeNumber, parseChangeNumber } from "./number.ts";

describe("change numbers", () => {
  it("pads to six digits after CHG-", () => {
    expect(formatChangeNumber(123)).toBe("CHG-000123");
    expect(formatChangeNumber(1234567)).toBe("CHG-1234567");
  });

  it("reads the forms people type and rejects anything else", () => {
    expect(parseChangeNumber("CHG-000123")).toBe(123);
    expect(parseChangeNumber("chg-123")).toBe(123);
    expect(parseChangeNumber(" 123 ")).toBe(123);
    expect(parseChangeNumber("CHG-0")).toBeNull();
    expect(parseChangeNumber("CHG-12a")).toBeNull();
    expect(parseChangeNumber("DROP TABLE")).toBeNull();
  });
});
