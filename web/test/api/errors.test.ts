import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { describeError, describePasswordChangeError } from "../../src/api/errors.js";

describe("describeError", () => {
  it.each([
    [new ConnectError("unknown username or wrong password", Code.Unauthenticated), "Wrong username or password."],
    [new ConnectError("refresh token is invalid, expired, or already used; log in again", Code.Unauthenticated), "Your session has ended. Please log in again."],
    [new ConnectError("too many failed logins for this account; retry in 42 s", Code.ResourceExhausted), "Too many failed logins for this account; retry in 42 s."],
    [new ConnectError("", Code.ResourceExhausted), "Too many attempts. Wait a moment and try again."],
    [new ConnectError("password must be 8 to 128 characters long", Code.InvalidArgument), "Password must be 8 to 128 characters long."],
    [new ConnectError("username 'alice' is already taken", Code.AlreadyExists), "Username 'alice' is already taken."],
    [new ConnectError("already queued for 2v2 in us; CancelMatch first", Code.FailedPrecondition), "Already queued for 2v2 in us; CancelMatch first."],
    [new ConnectError("Redis is unavailable; retry shortly", Code.Unavailable), "The server is busy (Redis is unavailable; retry shortly). Try again shortly."],
    [new ConnectError("", Code.Unavailable), "Cannot reach the server. Check your connection and try again."],
    [new TypeError("Failed to fetch"), "Cannot reach the server. Check your connection and try again."],
    [new ConnectError("internal error", Code.Internal), "Something went wrong on the server. Try again shortly."],
    [new ConnectError("stack trace: java.lang.NullPointerException at ...", Code.DataLoss), "Something went wrong on the server. Try again shortly."],
    [new ConnectError("HTTP 404", Code.Unimplemented), "This server does not offer the Trespasser API. Is the API address right?"],
    ["a thrown string", "Cannot reach the server. Check your connection and try again."],
  ])("%s → %s", (error, message) => {
    expect(describeError(error)).toBe(message);
  });

  it("keeps a sentence's own punctuation", () => {
    expect(describeError(new ConnectError("Slow down!", Code.ResourceExhausted))).toBe("Slow down!");
  });
});

describe("describePasswordChangeError", () => {
  it.each([
    // ChangePassword's refusal of the current password, in the frontend's words.
    [new ConnectError("unknown username or wrong password", Code.Unauthenticated), "The current password is wrong."],
    // The interceptor's refusal of the token is not about the password.
    [new ConnectError("invalid or expired access token; log in or refresh", Code.Unauthenticated), "Your session has ended. Please log in again."],
    [
      new ConnectError("too many failed logins for this account; retry in 120 s", Code.ResourceExhausted),
      "Too many wrong passwords for this account. Try again in 120 s (logging in to it waits as long).",
    ],
    [new ConnectError("too many requests; slow down", Code.ResourceExhausted), "Too many requests; slow down."],
    [new ConnectError("too many password checks in progress; retry in a few seconds", Code.ResourceExhausted), "Too many password checks in progress; retry in a few seconds."],
    [new ConnectError("guests have no password; register an account", Code.FailedPrecondition), "Guests have no password; register an account."],
    [new ConnectError("the password changed meanwhile; log in again", Code.Aborted), "The password changed meanwhile; log in again."],
    [new ConnectError("password must not contain control characters", Code.InvalidArgument), "Password must not contain control characters."],
  ])("%s → %s", (error, message) => {
    expect(describePasswordChangeError(error)).toBe(message);
  });
});
