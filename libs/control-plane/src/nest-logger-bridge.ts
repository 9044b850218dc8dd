import { inspect } from 'node:util';
import { Logger } from '@nestjs/common';
import type { ControlLogger } from './control-logger.js';

/**
 * Routes what the NestJS transports say to our logger instead of Nest's console logger. Nest's
 * "log" level is chatter ("Connected to Redis…"), so it goes to debug.
 */
export class NestLoggerBridge extends Logger {
  readonly #target: ControlLogger;
  readonly #component: string;

  constructor(target: ControlLogger, component: string) {
    super(component);
    this.#target = target;
    this.#component = component;
  }

  override log(message: unknown): void {
    this.#target.debug(this.#fields(message), text(message));
  }

  override debug(message: unknown): void {
    this.#target.debug(this.#fields(message), text(message));
  }

  override verbose(message: unknown): void {
    this.#target.debug(this.#fields(message), text(message));
  }

  override warn(message: unknown): void {
    this.#target.warn(this.#fields(message), text(message));
  }

  override error(message: unknown): void {
    this.#target.error(this.#fields(message), text(message));
  }

  override fatal(message: unknown): void {
    this.#target.error(this.#fields(message), text(message));
  }

  #fields(message: unknown): Record<string, unknown> {
    return message instanceof Error
      ? { component: this.#component, err: message }
      : { component: this.#component };
  }
}

function text(message: unknown): string {
  if (message instanceof Error) return message.message;
  return typeof message === 'string' ? message : inspect(message);
}
