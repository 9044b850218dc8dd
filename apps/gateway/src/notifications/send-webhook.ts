import { GantryError } from '@gantry/contracts';
import { Agent, request } from 'undici';
import type { WebhookAddressPolicy } from './webhook-address-policy.js';
import { signWebhook } from './webhook-signature.js';

/** One delivery attempt as the log keeps it. */
export interface DeliveryAttempt {
  ok: boolean;
  statusCode: number | null;
  durationMs: number;
  /** The first bytes of the receiver's answer, for the log. */
  response: string | null;
  error: GantryError | null;
}

export interface WebhookMessage {
  url: string;
  /** The `webhook-id`: the same for every attempt of one message. */
  id: string;
  body: string;
  /** The tenant's signing secrets, newest first. */
  secrets: readonly string[];
}

const responseExcerptBytes = 1_024;

/**
 * POSTs one signed message (Standard Webhooks headers). Redirects are not followed: a 3xx is a failed
 * attempt like any other non-2xx. The connection resolves the host through the address policy, so the
 * address checked is the address connected to.
 */
export async function sendWebhook(
  message: WebhookMessage,
  policy: WebhookAddressPolicy,
  timeoutMs: number,
): Promise<DeliveryAttempt> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const field = ['webhook', 'url'];
  const literal = policy.refuseLiteral(message.url, field);
  if (literal) return { ok: false, statusCode: null, durationMs: 0, response: null, error: literal };
  const timestamp = Math.floor(Date.now() / 1_000);
  // An agent per attempt: its lookup is the policy's, and no pooled connection outlives the check.
  const agent = new Agent({
    connect: { lookup: policy.lookupFor(field), timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  try {
    const answer = await request(message.url, {
      method: 'POST',
      dispatcher: agent,
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Gantry-Webhooks/1',
        'webhook-id': message.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(message.secrets, message.id, timestamp, message.body),
      },
      body: message.body,
    });
    const response = await excerpt(answer.body);
    const ok = answer.statusCode >= 200 && answer.statusCode < 300;
    return {
      ok,
      statusCode: answer.statusCode,
      durationMs: elapsed(),
      response,
      error: ok
        ? null
        : new GantryError('WEBHOOK_DELIVERY_FAILED', `the receiver answered ${answer.statusCode}`, {
            details: { status_code: answer.statusCode },
          }),
    };
  } catch (error) {
    return { ok: false, statusCode: null, durationMs: elapsed(), response: null, error: attemptError(error) };
  } finally {
    void agent.destroy().catch(() => undefined);
  }
}

async function excerpt(body: AsyncIterable<Buffer>): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    // Leaving the loop destroys the stream: the rest is never read.
    if (size >= responseExcerptBytes) break;
  }
  return size === 0 ? null : Buffer.concat(chunks).subarray(0, responseExcerptBytes).toString('utf8');
}

/** The address policy's refusal wherever undici wrapped it; anything else is a failed, retryable attempt. */
function attemptError(error: unknown): GantryError {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof GantryError) return cause;
  }
  const reason = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  return new GantryError('WEBHOOK_DELIVERY_FAILED', `the receiver could not be reached: ${reason}`, {
    details: { cause: typeof code === 'string' ? code : null },
  });
}
