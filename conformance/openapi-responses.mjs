// Extracts, from Seam's OpenAPI spec (npm @seamapi/types, pinned in
// package.json), the 200 reply schemas of every spec route the emulator
// serves, which the emulator's TestRepliesMatchSeamSpec checks, with every $ref inlined, into
// internal/emulator/testdata/seam-openapi-responses.json. The Go test reads
// that checked-in file, so it runs offline; run this again after bumping
// @seamapi/types:
//
//	cd conformance && npm ci && node openapi-responses.mjs
//
// scripts/conformance.sh (make test-conformance, CI) checks that the
// checked-in file matches the pinned package.
import { readFileSync, writeFileSync } from 'node:fs'
import { openapi } from '@seamapi/types/connect'
import { routesIn } from './routes.mjs'

// Every route of Seam's spec that the emulator serves (its partner routes
// are not in the spec; the Go test lists them).
const routes = routesIn('internal/emulator', openapi)

// The event schema is a oneOf of every event type Seam has; the emulator
// records only these.
const eventTypes = [
  'connected_account.completed_first_sync',
  'connected_account.disconnected',
  'connected_account.connected',
  'access_code.created',
  'access_code.deleted',
  'access_code.set_on_device',
  'access_code.failed_to_set_on_device',
  'access_code.removed_from_device',
  'device.connected',
  'device.disconnected',
  'lock.unlocked',
]

// Likewise for action attempts: only the types of the routes the emulator
// serves.
const actionTypes = routes.map((r) => (openapi.paths[r].post ?? openapi.paths[r].get)['x-action-attempt-type']).filter(Boolean)

function resolve(node, seen = []) {
  if (Array.isArray(node)) return node.map((n) => resolve(n, seen))
  if (node === null || typeof node !== 'object') return node
  if (node.$ref) {
    const name = node.$ref.replace('#/components/schemas/', '')
    if (seen.includes(name)) throw new Error(`recursive schema ${name}`)
    let schema = openapi.components.schemas[name]
    if (name === 'event') {
      schema = { ...schema, oneOf: schema.oneOf.filter((s) => eventTypes.includes(s.properties.event_type.enum[0])) }
    }
    if (name === 'action_attempt') {
      schema = { ...schema, oneOf: schema.oneOf.filter((s) => actionTypes.includes(s.properties.action_type.enum[0])) }
    }
    return resolve(schema, [...seen, name])
  }
  const out = {}
  for (const [k, v] of Object.entries(node)) {
    // Descriptions make the file large and say nothing about shape.
    if (k === 'description' || k.startsWith('x-')) continue
    out[k] = resolve(v, seen)
  }
  return out
}

const pkg = JSON.parse(readFileSync(new URL('./node_modules/@seamapi/types/package.json', import.meta.url)))
const doc = { seam_types_version: pkg.version, routes: {} }
for (const route of routes) {
  const op = openapi.paths[route].post ?? openapi.paths[route].get
  doc.routes[route] = {
    action_attempt_type: op['x-action-attempt-type'] ?? null,
    response: resolve(op.responses['200'].content['application/json'].schema),
  }
}
// An argument writes elsewhere (scripts/conformance.sh compares the result
// with the checked-in file).
const out = process.argv[2] ?? new URL('../internal/emulator/testdata/seam-openapi-responses.json', import.meta.url)
writeFileSync(out, JSON.stringify(doc, null, 1) + '\n')
console.log(`wrote ${routes.length} reply schemas from @seamapi/types ${pkg.version}`)
