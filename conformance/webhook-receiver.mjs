// A webhook receiver that checks deliveries with Seam's own verifier, npm
// @seamapi/webhook (pinned in package.json), as a team's receiver would.
// Run by the emulator's TestConformanceWebhookVerifies:
//
//   node webhook-receiver.mjs
//
// prints {"url": "..."} once listening on loopback. POST <url>/hook stores a
// delivery (the first one is answered 503, so the sender must try again);
// POST <url>/verify with {"secret": "whsec_..."} verifies every stored
// delivery with that secret and answers
// [{"svix_id", "ok", "event_type", "error"}]. It exits when stdin closes.
import { createServer } from 'node:http'
import { SeamWebhook } from '@seamapi/webhook'

const received = []

const readBody = (req) =>
  new Promise((resolve, reject) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })

function verifyAll(secret) {
  const webhook = new SeamWebhook(secret)
  return received.map(({ body, headers }) => {
    try {
      const event = webhook.verify(body, headers)
      return { svix_id: headers['svix-id'], ok: true, event_type: event.event_type }
    } catch (error) {
      return { svix_id: headers['svix-id'], ok: false, error: String(error?.message ?? error) }
    }
  })
}

let first = true
const server = createServer(async (req, res) => {
  const body = await readBody(req)
  if (req.method === 'POST' && req.url === '/hook') {
    received.push({ body, headers: req.headers })
    res.writeHead(first ? 503 : 204)
    first = false
    res.end()
    return
  }
  if (req.method === 'POST' && req.url === '/verify') {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(verifyAll(JSON.parse(body).secret)))
    return
  }
  res.writeHead(404)
  res.end()
})

server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` }))
})
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
