import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { GantryError } from '@gantry/contracts';
import type { Express } from 'express';

// Node's constructors as the functions they are (its types declare classes); the server passes options too.
const initRequest = http.IncomingMessage as unknown as (this: http.IncomingMessage, socket: Socket) => void;
const initResponse = http.ServerResponse as unknown as (
  this: http.ServerResponse,
  req: http.IncomingMessage,
  options?: object,
) => void;

/**
 * An HTTP server for `app` whose requests and responses are born with the app's prototypes.
 *
 * Express gives every request its own API by switching the prototypes of Node's `req` and `res` with
 * `Object.setPrototypeOf` (`app.handle`). Switched on objects Node has already built, that made V8 keep part of
 * every request alive through the next scavenge: an Express app with one route promoted ~7.5 KB of each request
 * to old space, a plain `http` handler none. With this server and ioredis patched (ADR 13), the gateway spends
 * less than half the scavenge pause and about a fifth less CPU per request (tools/bench/README.md, "Where the time
 * goes"). Built by constructors whose `prototype` is
 * `app.request` and `app.response`, the objects already have the prototype Express sets, and its switch does
 * nothing. Node's constructors are plain functions (not classes) in every Node this runs on, so they are called on
 * the new object; `Reflect.construct` with another `new.target` does the same, but took V8's slow path: a third of
 * the requests a second.
 */
export function createExpressHttpServer(app: Express): http.Server {
  function AppRequest(this: http.IncomingMessage, socket: Socket): void {
    initRequest.call(this, socket);
  }
  AppRequest.prototype = app.request;
  function AppResponse(this: http.ServerResponse, req: http.IncomingMessage, options?: object): void {
    initResponse.call(this, req, options);
  }
  AppResponse.prototype = app.response;
  const server = http.createServer(
    {
      IncomingMessage: AppRequest as unknown as typeof http.IncomingMessage,
      ServerResponse: AppResponse as unknown as typeof http.ServerResponse,
    },
    app,
  );
  server.on('clientError', answerClientError);
  return server;
}

/**
 * A request Node's parser refuses before Express sees it (a malformed request line or header, headers over
 * the size limit, Content-Length with Transfer-Encoding, an unknown method) gets the API's error shape,
 * 400 BAD_REQUEST, instead of Node's bare `400`/`431` with no body; the connection closes after it. A
 * request that timed out gets Node's own 408, and a socket already gone is only destroyed.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // As Node's own handling: no answer where one is already on its way on this socket (its head sent).
  const inFlight = (socket as Duplex & { _httpMessage?: http.ServerResponse | null })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
    return;
  }
  const message =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? `the request's headers are over the ${http.maxHeaderSize}-byte limit`
      : 'the request is not valid HTTP/1.1';
  const requestId = randomUUID().replaceAll('-', '');
  const body = JSON.stringify({
    error: new GantryError('BAD_REQUEST', message, { details: { reason: error.code ?? null } }).toInfo(),
    request_id: requestId,
  });
  socket.end(
    'HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
  );
}
