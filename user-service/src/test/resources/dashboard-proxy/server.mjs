// Serves the route handler of docs/ORIGINAL-DASHBOARD.md 9.1 (./route.mjs) the way Next.js would: each request becomes a
// web Request for the export named by its method. Prints "listening <port>" once it accepts connections.
import http from 'node:http';
import * as route from './route.mjs';

const server = http.createServer(async (req, res) => {
  try {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const handler = route[req.method];
    if (typeof handler !== 'function') {
      res.writeHead(405).end();
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (name !== 'host' && name !== 'connection') headers.set(name, String(value));
    }
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    const response = await handler(new Request('http://localhost' + req.url, { method: req.method, headers, body }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (response.body) {
      for await (const chunk of response.body) res.write(chunk);
    }
    res.end();
  } catch (error) {
    console.error(error);
    res.writeHead(599).end(String(error));
  }
});
server.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));
