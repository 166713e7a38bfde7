import { randomBytes } from 'node:crypto';

/**
 * Bearer tokens for init-container jobs. A job reports its stages to the controller, which needs a
 * token beyond loopback; the controller's own token must not leave the process, so each job gets
 * one that only reports its own block's stages (`init_create_status_update` of that block) and
 * dies with the job. The HTTP face checks them; the domain issues and revokes them.
 */
export class JobGrants {
  private readonly blockOf = new Map<string, string>();

  issue(blockId: string): string {
    const token = randomBytes(24).toString('base64url');
    this.blockOf.set(token, blockId);
    return token;
  }

  revoke(token: string): void {
    this.blockOf.delete(token);
  }

  /** The block a live token may report for, or undefined. */
  block(token: string): string | undefined {
    return this.blockOf.get(token);
  }
}
