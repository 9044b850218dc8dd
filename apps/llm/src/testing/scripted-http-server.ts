import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

type Reply = (res: ServerResponse, request: RecordedRequest) => void;

/**
 * A real HTTP server on a free local port that answers each request with the next scripted reply
 * (the last one repeats) and records what it was sent: the provider adapters speak their real wire
 * protocol to it, over a real socket.
 */
export async function startScriptedServer(replies: Reply[]) {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
      };
      requests.push(request);
      const reply = replies[Math.min(requests.length, replies.length) - 1];
      reply?.(res, request);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

/** Never answers: a hung provider. */
export const silence: Reply = () => undefined;

/**
 * OpenAI's Chat Completions stream: one chunk per piece, the finish reason, then the usage chunk. With
 * `paceMs`, the pieces leave that far apart, as a model's tokens do (all at once otherwise).
 */
export const openAiStream =
  (
    pieces: string[],
    usage = { prompt_tokens: 12, completion_tokens: pieces.length },
    finish = 'stop',
    paceMs = 0,
  ): Reply =>
  (res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const chunk = (choices: unknown[], extra = {}) =>
      `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices, ...extra })}\n\n`;
    const deltas = pieces.map((content, index) =>
      chunk([
        {
          index: 0,
          delta: index === 0 ? { role: 'assistant', content } : { content },
          finish_reason: null,
        },
      ]),
    );
    const end = () => {
      res.write(chunk([{ index: 0, delta: {}, finish_reason: finish }]));
      res.write(
        chunk([], { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } }),
      );
      res.end('data: [DONE]\n\n');
    };
    if (paceMs === 0) {
      for (const delta of deltas) res.write(delta);
      end();
      return;
    }
    const next = (index: number) => {
      if (res.destroyed) return;
      if (index === deltas.length) {
        end();
        return;
      }
      res.write(deltas[index]);
      setTimeout(() => next(index + 1), paceMs);
    };
    next(0);
  };

/** Ollama's /api/chat stream: NDJSON, one line per piece, then `done` with the eval counts. */
export const ollamaStream =
  (pieces: string[], counts = { prompt_eval_count: 12, eval_count: pieces.length }): Reply =>
  (res) => {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const line = (content: string, done: boolean, extra = {}) =>
      `${JSON.stringify({ model: 'm', created_at: new Date().toISOString(), message: { role: 'assistant', content }, done, ...extra })}\n`;
    for (const piece of pieces) res.write(line(piece, false));
    res.end(line('', true, { done_reason: 'stop', ...counts }));
  };

/** The content of the last chat message a request sent (where a correction prompt goes). */
export const lastMessage = (request: RecordedRequest | undefined) =>
  (request?.body['messages'] as { content: string }[] | undefined)?.at(-1)?.content ?? '';
