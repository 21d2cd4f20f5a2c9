import { ErrorCode } from '@talk/protocol';
import { verifyPassword } from '../auth/passwords.js';
import { passwordAttemptKeys, type Throttle } from '../auth/throttle.js';
import { TalkServerError } from '../errors.js';
import type { Store } from '../store/store.js';

/** The password of a public conversation, which guests and self-joining users must give. */
export class PasswordGate {
  constructor(
    private readonly store: Store,
    private readonly throttle: Throttle,
  ) {}

  /**
   * Lets `password` through if the conversation has none or it matches; attempts are throttled per client
   * address and conversation, per conversation and per address, so guessing stops even before the right password.
   */
  async check(token: string, password: string | undefined, clientAddress: string): Promise<void> {
    const hash = await this.store.conversations.passwordHashOf(token);
    if (hash === null) return;
    // Asking without a password is how a client learns that it needs one: nothing is guessed, so nothing is counted.
    if (password === undefined) throw wrongPassword();
    // Counted before the slow hash, so that guesses fired in parallel cannot all pass.
    const attempt = await this.throttle.begin(passwordAttemptKeys(clientAddress, token));
    if (!(await verifyPassword(password, hash))) throw wrongPassword();
    attempt.succeeded();
  }
}

function wrongPassword(): TalkServerError {
  return new TalkServerError(ErrorCode.WrongPassword, 'This conversation needs its password');
}
