'use strict';
// Preloaded with `node --require` into a child process by ocr-engine.offline.test.ts. Unlike
// --import, --require also runs in every worker thread, where tesseract.js does its loading. Every
// way out of the process (TCP, TLS, UDP, DNS, HTTP, fetch) throws, and each attempt is appended to
// the file named by GANTRY_NETWORK_LOG, whichever thread made it and whoever caught the error.
// Unix-socket connections pass: they cannot leave the machine, and tsx's loader uses one to talk
// to its CLI.
const fs = require('node:fs');
const { threadId } = require('node:worker_threads');

// net.connect(path), net.connect({ path }), and Socket#connect([{ path }, cb]) as net calls it.
function isUnixSocket(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (typeof first === 'string') return Number.isNaN(Number(first));
  return typeof first === 'object' && first !== null && typeof first.path === 'string';
}

function deny(target, name, label) {
  const original = target[name];
  target[name] = function denied(...args) {
    if (label.startsWith('net.') && isUnixSocket(args)) return original.apply(this, args);
    const log = process.env.GANTRY_NETWORK_LOG;
    if (log) fs.appendFileSync(log, `${JSON.stringify({ call: label, thread: threadId })}\n`);
    throw new Error(`network access is denied in this process: ${label}`);
  };
}

const net = require('node:net');
deny(net, 'connect', 'net.connect');
deny(net, 'createConnection', 'net.createConnection');
deny(net.Socket.prototype, 'connect', 'net.Socket#connect');
deny(require('node:tls'), 'connect', 'tls.connect');
deny(require('node:dgram'), 'createSocket', 'dgram.createSocket');
const dns = require('node:dns');
for (const name of [
  'lookup',
  'lookupService',
  'resolve',
  'resolve4',
  'resolve6',
  'resolveAny',
  'resolveTxt',
]) {
  deny(dns, name, `dns.${name}`);
  deny(dns.promises, name, `dns.promises.${name}`);
}
for (const module of ['node:http', 'node:https']) {
  deny(require(module), 'request', `${module}.request`);
  deny(require(module), 'get', `${module}.get`);
}
const deniedFetch = {};
deny(deniedFetch, 'fetch', 'fetch');
globalThis.fetch = async (...args) => deniedFetch.fetch(...args);
