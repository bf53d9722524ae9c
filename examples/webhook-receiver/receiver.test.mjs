// The receiver's test, offline, against what seam-emulator delivered to it
// (see README.md): the deliveries the running receiver kept in
// DELIVERIES_DIR verify with Seam's verifier and the webhook's secret
// (SEAM_WEBHOOK_SECRET), and the receiver refuses the same deliveries
// altered or unsigned, and handles a retried one once.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { SeamWebhook } from '@seamapi/webhook'
import { createReceiver, path } from './receiver.mjs'

const secret = process.env.SEAM_WEBHOOK_SECRET
const dir = process.env.DELIVERIES_DIR
const wanted = process.env.WANT_EVENT ?? 'access_code.set_on_device'
const skip = !secret || !dir ? 'needs SEAM_WEBHOOK_SECRET and DELIVERIES_DIR from a run against seam-emulator' : false

// kept lists the deliveries in dir.
function kept() {
  let names = []
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'))
  } catch {}
  return names.map((n) => JSON.parse(readFileSync(join(dir, n), 'utf8')))
}

// waitFor is the first kept delivery of eventType; Seam (and the emulator)
// deliver asynchronously, so it may arrive after the apply returned.
async function waitFor(eventType, seconds = 30) {
  for (let i = 0; i < seconds * 10; i++) {
    const d = kept().find((d) => JSON.parse(d.body).event_type === eventType)
    if (d) return d
    await sleep(100)
  }
  assert.fail(`no ${eventType} delivery reached the receiver in ${seconds}s`)
}

test('the delivery verifies with the webhook secret', { skip }, async () => {
  const d = await waitFor(wanted)
  const event = new SeamWebhook(secret).verify(d.body, d.headers)
  assert.equal(event.event_type, wanted)
  assert.ok(event.access_code_id, 'an access code event names its code')
})

test('the receiver refuses altered and unsigned deliveries, and handles a retry once', { skip }, async (t) => {
  const d = await waitFor(wanted)
  const handled = []
  const server = createReceiver({ secret, onDelivery: (event) => handled.push(event.event_type) })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => server.close())
  const post = (body, headers) =>
    fetch(`http://127.0.0.1:${server.address().port}${path}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...headers },
    }).then((r) => r.status)

  assert.equal(await post(d.body, d.headers), 204)
  assert.equal(await post(d.body, d.headers), 204, 'a retry (same svix-id) is acknowledged')
  assert.deepEqual(handled, [wanted], 'a retry is not handled twice')
  const altered = d.body.replace(wanted, 'access_code.removed_from_device')
  assert.equal(await post(altered, d.headers), 400, 'an altered body is refused')
  assert.equal(await post(d.body, {}), 400, 'an unsigned delivery is refused')
  const other = new SeamWebhook('whsec_' + Buffer.alloc(24, 7).toString('base64'))
  assert.throws(() => other.verify(d.body, d.headers), 'another secret does not verify it')
})
