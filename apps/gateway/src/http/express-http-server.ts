import http from 'node:http';
import type { Socket } from 'node:net';
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
  return http.createServer(
    {
      IncomingMessage: AppRequest as unknown as typeof http.IncomingMessage,
      ServerResponse: AppResponse as unknown as typeof http.ServerResponse,
    },
    app,
  );
}
