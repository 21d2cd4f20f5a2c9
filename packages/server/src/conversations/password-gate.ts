import { ErrorCode } from '@talk/protocol';
import { verifyPassword } from '../auth/passwords.js';
import type { FailureThrottle } from '../auth/throttle.js';
import { TalkServerError } from '../errors.js';
import type { Store } from '../store/store.js';

/** The password of a public conversation, which guests and self-joining users must give. */
export class PasswordGate {
  constructor(
    private readonly store: Store,
    private readonly throttle: FailureThrottle,
  ) {}

  /**
   * Lets `password` through if the conversation has none or it matches; failed attempts are throttled per
   * client address and conversation, so guessing from one address stops even before the right password.
   */
  async check(token: string, password: string | undefined, clientAddress: string): Promise<void> {
    const hash = await this.store.conversations.passwordHashOf(token);
    if (hash === null) return;
    const key = `${clientAddress}|${token}`;
    this.throttle.check(key);
    if (password === undefined || !(await verifyPassword(password, hash))) {
      this.throttle.fail(key);
      throw new TalkServerError(ErrorCode.WrongPassword, 'This conversation needs its password');
    }
  }
}
