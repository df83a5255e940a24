#!/usr/bin/env node
// Waits until a MongoDB-wire-compatible server answers `ping`.
//
// Usage: node infra/scripts/wait-mongo.js [--primary] [uri] [timeoutSeconds]
//   uri             defaults to $MONGODB_URI, then mongodb://127.0.0.1:27017/
//   timeoutSeconds  defaults to 60
//   --primary       also require hello.isWritablePrimary (replica set elected)
// Exits 0 once the server answers, 1 when the deadline passes.
'use strict';

const { MongoClient } = require('mongodb');

const args = process.argv.slice(2);
const requirePrimary = args.includes('--primary');
const positional = args.filter((a) => !a.startsWith('--'));

const uri = positional[0] || process.env.MONGODB_URI || 'mongodb://127.0.0.1:27017/';
const timeoutSeconds = Number(positional[1] || 60);

if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
  console.error(`wait-mongo: invalid timeout "${positional[1]}"`);
  process.exit(1);
}

const deadline = Date.now() + timeoutSeconds * 1000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function pingOnce() {
  const options = {
    serverSelectionTimeoutMS: 1000,
    connectTimeoutMS: 1000,
    socketTimeoutMS: 5000,
  };
  // A fresh single-node replica set may not have elected a primary yet;
  // connect directly so ping works as soon as the process answers.
  if (!/[?&]directConnection=/i.test(uri)) options.directConnection = true;
  const client = new MongoClient(uri, options);
  try {
    await client.connect();
    const admin = client.db('admin');
    await admin.command({ ping: 1 });
    if (requirePrimary) {
      const hello = await admin.command({ hello: 1 });
      if (!hello.isWritablePrimary) throw new Error('server is not a writable primary yet');
    }
  } finally {
    await client.close(true).catch(() => {});
  }
}

async function main() {
  let lastError;
  for (;;) {
    try {
      await pingOnce();
      return 0;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) break;
    await sleep(Math.min(500, Math.max(0, deadline - Date.now())));
  }
  console.error(
    `wait-mongo: ${uri} did not answer within ${timeoutSeconds}s: ${lastError && lastError.message}`,
  );
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error('wait-mongo:', err);
    process.exit(1);
  },
);
