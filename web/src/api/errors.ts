import { Code, ConnectError } from "@connectrpc/connect";

/**
 * What a player is told when a call fails. The frontend's descriptions are written for people
 * (validation rules, lockout times), so they are shown as they are where they say something;
 * transport failures and internal errors get a plain sentence instead.
 */
export function describeError(error: unknown): string {
  const e = ConnectError.from(error);
  const said = e.rawMessage.trim();
  switch (e.code) {
    case Code.Unauthenticated:
      // Login's refusal ("unknown username or wrong password") versus an ended session.
      if (/password/i.test(said)) {
        return "Wrong username or password.";
      }
      return "Your session has ended. Please log in again.";
    case Code.ResourceExhausted:
      return said ? sentence(said) : "Too many attempts. Wait a moment and try again.";
    case Code.InvalidArgument:
    case Code.AlreadyExists:
    case Code.FailedPrecondition:
    case Code.Aborted:
      return said ? sentence(said) : "The server refused the request.";
    case Code.Unavailable:
      return /fetch|network|load failed/i.test(said) || !said
        ? "Cannot reach the server. Check your connection and try again."
        : `The server is busy (${said}). Try again shortly.`;
    case Code.DeadlineExceeded:
      return said ? sentence(said) : "The server took too long to answer. Try again.";
    case Code.Canceled:
      return "The request was cancelled.";
    case Code.Unimplemented:
      // Also what an HTTP 404 becomes: the page talks to something that is not the frontend.
      return "This server does not offer the Trespasser API. Is the API address right?";
    case Code.Unknown:
      // fetch() failing (offline, TLS, CORS) surfaces as Unknown with the browser's TypeError text.
      return "Cannot reach the server. Check your connection and try again.";
    default:
      return "Something went wrong on the server. Try again shortly.";
  }
}

function sentence(text: string): string {
  const capitalised = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : capitalised + ".";
}

/**
 * ChangePassword refused the current password. The server says so with UNAUTHENTICATED and
 * Login's description; an access token it did not accept is UNAUTHENTICATED too, but says "token".
 */
export function isWrongPassword(error: unknown): boolean {
  const e = ConnectError.from(error);
  return e.code === Code.Unauthenticated && /wrong password/i.test(e.rawMessage);
}

/** What the change-password screen says when the change fails. */
export function describePasswordChangeError(error: unknown): string {
  if (isWrongPassword(error)) {
    return "The current password is wrong.";
  }
  const e = ConnectError.from(error);
  const lockout = /failed logins.*retry in (\d+) s/i.exec(e.rawMessage);
  if (e.code === Code.ResourceExhausted && lockout) {
    // The account's lockout counts wrong current passwords and failed logins together.
    return `Too many wrong passwords for this account. Try again in ${lockout[1]} s (logging in to it waits as long).`;
  }
  return describeError(error);
}
