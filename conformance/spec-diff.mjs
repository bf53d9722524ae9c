// Prints what changed in Seam's OpenAPI spec between the pinned
// @seamapi/types (package.json) and another version, for the routes the
// client (internal/seam) calls or the emulator (internal/emulator) serves:
// methods, request parameters, reply fields (type, format, nullable,
// required, deprecated, enums), error and warning codes, and action types.
// Run by `make spec-diff SPEC=x.y.z`; the other version is installed with
// npm into a cache directory (SPEC_DIFF_CACHE, default under the system's
// temporary directory).
//
//	node spec-diff.mjs 1.978.0
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { openapi as pinned } from '@seamapi/types/connect'
import { routesIn } from './routes.mjs'

const version = process.argv[2]
if (!/^\d+\.\d+\.\d+$/.test(version ?? '')) {
  console.error('usage: node spec-diff.mjs x.y.z (a version of @seamapi/types)')
  process.exit(2)
}
const pinnedVersion = JSON.parse(readFileSync(new URL('./node_modules/@seamapi/types/package.json', import.meta.url))).version

async function load(v) {
  const dir = join(process.env.SPEC_DIFF_CACHE ?? join(tmpdir(), 'seam-spec-diff'), v)
  if (!existsSync(join(dir, 'node_modules/@seamapi/types/package.json'))) {
    mkdirSync(dir, { recursive: true })
    execFileSync('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `@seamapi/types@${v}`], { stdio: ['ignore', 'ignore', 'inherit'] })
  }
  const entry = createRequire(join(dir, 'package.json')).resolve('@seamapi/types/connect')
  return (await import(pathToFileURL(entry).href)).openapi
}
const other = await load(version)

// Routes in scope: those the Go sources name, in either spec.
const both = { paths: { ...other.paths, ...pinned.paths } }
const client = routesIn('internal/seam', both)
const emulator = routesIn('internal/emulator', both)
const routes = [...new Set([...client, ...emulator])].sort()
const operation = (spec, r) => spec.paths[r]?.post ?? spec.paths[r]?.get
const actionTypes = (spec) => new Set(routes.map((r) => operation(spec, r)?.['x-action-attempt-type']).filter(Boolean))
const wantedActions = new Set([...actionTypes(pinned), ...actionTypes(other)])

// flatten lists every field under a schema as "path -> description"; the
// alternatives of a oneOf are told apart by their one-value enum field
// (error_code, warning_code, action_type and status, event_type...).
function flatten(spec, node, at, out, required = true, seen = []) {
  if (node == null) return out
  if (node.$ref) {
    const name = node.$ref.replace('#/components/schemas/', '')
    if (seen.includes(name)) return out
    return flatten(spec, spec.components.schemas[name], at, out, required, [...seen, name])
  }
  const alts = node.oneOf ?? node.anyOf
  if (node.allOf) {
    for (const part of node.allOf) flatten(spec, part, at, out, required, seen)
    return out
  }
  out[at] = describe(node, required)
  if (alts) {
    for (const alt of alts) {
      const key = discriminator(spec, alt)
      if (key?.startsWith('action_type=') && !wantedActions.has(key.split('=')[1].split(',')[0])) continue
      flatten(spec, alt, key ? `${at}[${key}]` : at, out, true, seen)
    }
  }
  for (const [k, v] of Object.entries(node.properties ?? {})) {
    flatten(spec, v, `${at}.${k}`, out, (node.required ?? []).includes(k), seen)
  }
  if (node.items) flatten(spec, node.items, `${at}[]`, out, true, seen)
  return out
}

function discriminator(spec, alt) {
  const s = alt.$ref ? spec.components.schemas[alt.$ref.replace('#/components/schemas/', '')] : alt
  const keys = Object.entries(s?.properties ?? {})
    .filter(([, v]) => Array.isArray(v.enum) && v.enum.length === 1 && typeof v.enum[0] === 'string')
    .map(([k, v]) => `${k}=${v.enum[0]}`)
  return keys.length ? keys.sort((a, b) => (a.startsWith('action_type') ? -1 : b.startsWith('action_type') ? 1 : a.localeCompare(b))).join(',') : null
}

function describe(node, required) {
  const parts = [node.type ?? (node.oneOf ? 'oneOf' : node.anyOf ? 'anyOf' : 'any')]
  if (node.format) parts.push(node.format)
  if (node.nullable) parts.push('nullable')
  parts.push(required ? 'required' : 'optional')
  if (node.deprecated) parts.push('deprecated')
  if (node.enum) parts.push(`enum [${[...node.enum].sort().join(', ')}]`)
  return parts.join(', ')
}

// change says how a field's description changed; for enums, only the
// values added and removed.
function change(from, to) {
  const split = (d) => {
    const m = d.match(/^(.*?)(?:, )?enum \[(.*)\]$/)
    return m ? [m[1], m[2].split(', ')] : [d, []]
  }
  const [fa, ea] = split(from)
  const [fb, eb] = split(to)
  const out = fa === fb ? [fb] : [`${fa} -> ${fb}`]
  const added = eb.filter((v) => !ea.includes(v))
  const removed = ea.filter((v) => !eb.includes(v))
  if (added.length) out.push(`enum + [${added.join(', ')}]`)
  if (removed.length) out.push(`enum - [${removed.join(', ')}]`)
  return out.join('; ')
}

function shape(spec, route) {
  const item = spec.paths[route]
  if (!item) return null
  const op = operation(spec, route)
  const out = { methods: Object.keys(item).sort().join(', '), action: op['x-action-attempt-type'] ?? 'none' }
  const fields = {}
  const body = op.requestBody?.content?.['application/json']?.schema
  if (body) flatten(spec, body, 'request', fields)
  for (const p of op.parameters ?? []) flatten(spec, p.schema, `request.${p.name}`, fields, !!p.required)
  flatten(spec, op.responses?.['200']?.content?.['application/json']?.schema, 'reply', fields)
  return { ...out, fields }
}

let changed = 0
const groups = new Map()
console.log(`@seamapi/types ${pinnedVersion} (pinned) -> ${version}: ${routes.length} routes the client calls or the emulator serves`)
for (const route of routes) {
  const a = shape(pinned, route)
  const b = shape(other, route)
  const who = [client.includes(route) && 'client', emulator.includes(route) && 'emulator'].filter(Boolean).join(', ')
  const lines = []
  if (!a || !b) lines.push(a ? '  route removed' : '  route added')
  else {
    if (a.methods !== b.methods) lines.push(`  methods: ${a.methods} -> ${b.methods}`)
    if (a.action !== b.action) lines.push(`  action type: ${a.action} -> ${b.action}`)
    // A field added or removed with everything under it is one line.
    let gone = null
    for (const k of [...new Set([...Object.keys(a.fields), ...Object.keys(b.fields)])].sort()) {
      if (gone && (k.startsWith(gone + '.') || k.startsWith(gone + '['))) continue
      gone = null
      if (!(k in b.fields)) (gone = k), lines.push(`  - ${k}: ${a.fields[k]}`)
      else if (!(k in a.fields)) (gone = k), lines.push(`  + ${k}: ${b.fields[k]}`)
      else if (a.fields[k] !== b.fields[k]) lines.push(`  ~ ${k}: ${change(a.fields[k], b.fields[k])}`)
    }
  }
  if (lines.length) {
    changed++
    // Routes with the same changes (a reply object shared by several
    // routes) are printed once, together.
    const key = lines.join('\n')
    groups.set(key, [...(groups.get(key) ?? []), `${route} (${who})`])
  }
}
for (const [lines, names] of groups) console.log(`\n${names.join('\n')}\n${lines}`)
console.log(changed ? `\n${changed} of ${routes.length} routes changed.` : '\nNo route in scope changed.')
