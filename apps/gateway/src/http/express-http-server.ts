import http from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';

/**
 * An HTTP server for `app` whose requests and responses are born with the app's prototypes.
 *
 * Express gives every request its own API by switching the prototypes of Node's `req` and `res` with
 * `Object.setPrototypeOf` (`app.handle`). Switched on objects Node has already built, that made V8 keep part of
 * every request alive through the next scavenge: an Express app with one route promoted ~7.5 KB of each request
 * to old space, a plain `http` handler none, which is most of the gateway's GC pauses and of its p99 under load
 * (tools/bench/README.md, "Requests born with Express's prototypes"). Built by constructors whose `prototype` is
 * `app.request` and `app.response`, the objects already have the prototype Express sets, and its switch does
 * nothing. `Reflect.construct` runs Node's own constructors, whatever their kind, with that prototype.
 */
export function createExpressHttpServer(app: Express): http.Server {
  function AppRequest(socket: Socket): http.IncomingMessage {
    return Reflect.construct(http.IncomingMessage, [socket], AppRequest) as http.IncomingMessage;
  }
  AppRequest.prototype = app.request;
  function AppResponse(req: http.IncomingMessage, options?: object): http.ServerResponse {
    return Reflect.construct(http.ServerResponse, [req, options], AppResponse) as http.ServerResponse;
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
