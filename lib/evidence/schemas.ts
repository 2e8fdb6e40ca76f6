import { z } from "zod";

const CHOOSE = "Choose a file to upload.";

/** The upload form: the change's number (CHG-000123) and the chosen file. */
export const ZUploadEvidenceFileInput = z.object({
  number: z.string({ message: "Say which change the file is for." }).trim().min(1, "Say which change the file is for."),
  // An empty file input still submits a nameless, empty File.
  file: z.instanceof(File, { message: CHOOSE }).refine((f) => f.name !== "" || f.size > 0, CHOOSE),
});
export type TUploadEvidenceFileInput = z.infer<typeof ZUploadEvidenceFileInput>;
