/**
 * The frontend's rules for a new password (CredentialRules): 8 to 128 characters (at least 8 code
 * points, at most 128 UTF-16 units, as the server counts them), no control characters. Checked
 * here first so the form can say which field is wrong; the server checks them again.
 */
export const MIN_PASSWORD = 8;
export const MAX_PASSWORD = 128;
/** Java's Character.isISOControl: C0, DEL and C1. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export const PASSWORD_RULES = `${MIN_PASSWORD} to ${MAX_PASSWORD} characters, no control characters.`;

/** Why the change-password form cannot be sent as filled in, or null when it can. */
export function passwordChangeProblem(current: string, next: string, repeated: string): string | null {
  if (current.length === 0) {
    return "Enter your current password.";
  }
  if ([...next].length < MIN_PASSWORD || next.length > MAX_PASSWORD) {
    return `The new password must be ${MIN_PASSWORD} to ${MAX_PASSWORD} characters long.`;
  }
  if (CONTROL.test(next)) {
    return "The new password must not contain control characters.";
  }
  if (next !== repeated) {
    return "The two new passwords do not match.";
  }
  if (next === current) {
    return "The new password is the same as the current one.";
  }
  return null;
}
