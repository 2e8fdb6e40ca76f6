import { parseChangeNumber } from "../changes/number.ts";
import { AppError } from "../errors.ts";

/** Room for the multipart envelope (boundaries, part headers, other fields) above the file limit. */
export const UPLOAD_ENVELOPE_BYTES = 64 * 1024;

/** A change number from a URL segment ("CHG-000123"); not_found for anything else. */
export function changeRefFromParam(param: string): { number: number } {
  const number = parseChangeNumber(param);
  if (number === null) throw new AppError("not_found", "That change does not exist.");
  return { number };
}

/** The uploaded file of a form's "file" field; a person-readable refusal when there is none. */
export function fileFromForm(form: FormData | undefined): { file: File; name: string } {
  const file = form?.get("file");
  if (!(file instanceof File) || (file.size === 0 && file.name === "")) {
    const message = 'Choose a file to upload (form field "file").';
    throw new AppError("invalid_input", message, { file: message });
  }
  return { file, name: file.name };
}
