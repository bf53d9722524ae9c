// A Seam webhook receiver. Every delivery is verified with Seam's own
// verifier (@seamapi/webhook: the Svix headers svix-id, svix-timestamp and
// svix-signature, over the raw body) before anything acts on it; a delivery
// that fails is answered 400 and dropped. Seam retries a delivery that gets
// no 2xx answer, with the same svix-id: a retry of an event already handled
// is answered 204 and not handled twice.
//
// As a program:
//
//   SEAM_WEBHOOK_SECRET=whsec_... PORT=8787 node receiver.mjs
//
// listens on 127.0.0.1:PORT/seam-events and prints {"url": "..."} once
// ready. With DELIVERIES_DIR set it also keeps each verified delivery (raw
// body and Svix headers) as <svix-id>.json there, for the test to check
// offline (receiver.test.mjs).
import { createServer } from 'node:http'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { SeamWebhook } from '@seamapi/webhook'

export const path = '/seam-events'
const svixHeaders = ['svix-id', 'svix-timestamp', 'svix-signature']

// The signature covers the exact bytes Seam sent: read them as they are,
// and parse only what the verifier returns.
function readRawBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

// handleEvent is where a team's own work goes: tell the front desk that a
// PIN reached the panel, page someone when a panel drops off, ...
export function handleEvent(event) {
  const subject = event.access_code_id ?? event.device_id ?? event.connected_account_id ?? ''
  console.error(`seam event ${event.event_type} ${subject}`)
}

// createReceiver returns the HTTP server; onDelivery(event, {body, headers})
// runs once per verified event, after handleEvent.
export function createReceiver({ secret, onDelivery = () => {} }) {
  const webhook = new SeamWebhook(secret)
  const handled = new Set()
  return createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== path) {
      res.writeHead(404).end()
      return
    }
    const body = await readRawBody(req)
    let event
    try {
      event = webhook.verify(body, req.headers)
    } catch {
      res.writeHead(400).end('delivery not signed with this webhook secret\n')
      return
    }
    const id = req.headers['svix-id']
    if (!handled.has(id)) {
      handled.add(id)
      handleEvent(event)
      const headers = Object.fromEntries(svixHeaders.map((h) => [h, req.headers[h]]))
      onDelivery(event, { body, headers })
    }
    res.writeHead(204).end()
  })
}

// keepIn returns an onDelivery that writes each delivery to dir.
function keepIn(dir) {
  mkdirSync(dir, { recursive: true })
  return (event, delivery) =>
    writeFileSync(join(dir, `${delivery.headers['svix-id']}.json`), JSON.stringify(delivery))
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const secret = process.env.SEAM_WEBHOOK_SECRET
  if (!secret) {
    console.error('set SEAM_WEBHOOK_SECRET to the webhook secret (terraform output -raw webhook_secret)')
    process.exit(2)
  }
  const dir = process.env.DELIVERIES_DIR
  const server = createReceiver({ secret, onDelivery: dir ? keepIn(dir) : undefined })
  server.listen(Number(process.env.PORT ?? 8787), '127.0.0.1', () => {
    console.log(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}${path}` }))
  })
}
