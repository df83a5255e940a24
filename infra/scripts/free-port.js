// Prints a free TCP port on 127.0.0.1: the preferred one (argv[2]) if it is free, else one the OS picks.
const net = require('node:net');
function tryPort(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const { port: chosen } = server.address();
      server.close(() => resolve(chosen));
    });
  });
}
(async () => {
  const preferred = Number(process.argv[2] || 0);
  const port = (preferred && (await tryPort(preferred))) || (await tryPort(0));
  process.stdout.write(`${port}\n`);
})();
