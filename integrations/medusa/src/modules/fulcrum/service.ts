// The plugin's settings as a Medusa module, so subscribers, jobs, routes and the fulfillment
// provider all read one checked copy: container.resolve("fulcrum").
import { checkOptions, keyFor, type FulcrumOptions } from '../../lib/options';
import { fulcrum, type ClientSettings } from '../../lib/fulcrum-client';

export default class FulcrumModuleService {
  readonly options: FulcrumOptions;

  constructor(_container: Record<string, unknown>, options: unknown) {
    this.options = checkOptions(options);
  }

  settings(channel?: string): ClientSettings {
    return { url: this.options.url, key: keyFor(this.options, channel), timeoutMs: this.options.timeoutMs };
  }

  /** Every distinct key, the default first: a webhook does not say which channel's key reads its order. */
  keys(): string[] {
    return [...new Set([this.options.apiKey, ...Object.values(this.options.apiKeys ?? {})])];
  }

  call<T>(channel: string | undefined, method: string, path: string, options: { body?: unknown; idempotencyKey?: string } = {}): Promise<T> {
    return fulcrum<T>(this.settings(channel), method, path, options);
  }
}
